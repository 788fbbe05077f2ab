/**
 * Answered rows waiting for storage, column by column. A row is then no object of its own: the
 * numbers sit unboxed in double arrays, the model, version and label are shared strings, and only
 * its id and inputs are strings of its own. The rows live a few hundred milliseconds, long enough
 * for minor GCs to copy and promote whatever they hold, and a column batch is also cheaper to hand
 * to the writer thread (structured clone) than an array of objects (bench/gateway/profile.ts).
 */
export interface PendingBatch {
  ids: string[];
  models: string[];
  versions: string[];
  /** When the row was answered, ms since the epoch. */
  at: number[];
  labels: string[];
  scores: number[];
  confidences: number[];
  /** The kept inputs, already JSON. */
  inputs: string[];
  /** Queue the row for human review too. */
  review: boolean[];
}

export const COLUMNS = ['ids', 'models', 'versions', 'at', 'labels', 'scores', 'confidences', 'inputs', 'review'] as const;

export function emptyBatch(): PendingBatch {
  return { ids: [], models: [], versions: [], at: [], labels: [], scores: [], confidences: [], inputs: [], review: [] };
}

/** `first`'s rows, then `second`'s. */
export function concatBatches(first: PendingBatch, second: PendingBatch): PendingBatch {
  const out = emptyBatch();
  for (const k of COLUMNS) (out[k] as unknown[]) = (first[k] as unknown[]).concat(second[k]);
  return out;
}

/** The rows of `batch` at `indexes`, in that order. */
export function pickRows(batch: PendingBatch, indexes: number[]): PendingBatch {
  const out = emptyBatch();
  for (const k of COLUMNS) (out[k] as unknown[]) = indexes.map((i) => batch[k][i]);
  return out;
}
