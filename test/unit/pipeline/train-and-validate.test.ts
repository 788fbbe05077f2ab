import { validateRows } from '../../../src/domain/data/validate-rows';
import { predictRow } from '../../../src/domain/model/bundle';
import { DataSpecSchema } from '../../../src/domain/spec';
import { trainBundle, trainingPathScores } from '../../../src/domain/train/train-bundle';
import { mulberry32, normal } from '../../../src/domain/data/prng';

const data = DataSpecSchema.parse({ source: { kind: 'iris' }, label: 'y', features: ['a', 'c'], categorical: ['c'] });

describe('row validation', () => {
  it('converts numeric text to numbers and labels to strings', () => {
    const r = validateRows({ source: 'f.csv', data, task: 'binary-classification', rows: [{ line: 2, values: { a: ' 1.5e1', c: 'x', y: 1, extra: 'kept' } }] });
    expect(r).toEqual({ ok: true, rows: [{ a: 15, c: 'x', y: '1', extra: 'kept' }] });
  });

  it('names the file, line and column of a non-numeric value', () => {
    const r = validateRows({ source: 'f.csv', data, task: 'binary-classification', rows: [{ line: 2, values: { a: '1', c: 'x', y: '0' } }, { line: 3, values: { a: 'abc', c: 'x', y: '0' } }] });
    expect(r).toEqual({ ok: false, problems: ['f.csv:3: column "a": expected a number, got "abc"'] });
  });

  it('lists missing columns once with the columns that were found', () => {
    const r = validateRows({ source: 'f.csv', data, task: 'binary-classification', rows: [{ line: 2, values: { a: '1', z: 'x' } }] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]).toMatch(/f.csv: missing column\(s\) "y", "c" \(found: a, z\)/);
  });
});

describe('built-in training', () => {
  const rand = mulberry32(11);
  const rows = Array.from({ length: 400 }, () => {
    const x = normal(rand);
    const g = rand() < 0.5 ? 'p' : 'q';
    return { x, g, y: 3 * x + (g === 'p' ? 2 : -1) + 0.01 * normal(rand), cls: x + 0.3 * normal(rand) > 0 ? 'yes' : 'no' };
  });

  it('recovers the coefficients of a noiseless-ish linear relation with linear regression', () => {
    const { bundle } = trainBundle({ rows, features: ['x', 'g'], categorical: ['g'], label: 'y', task: 'regression', positiveLabel: '1', algorithm: 'linear-regression', params: { epochs: 2000, l2: 0 } });
    for (const r of rows.slice(0, 20)) expect(predictRow(bundle, r).score).toBeCloseTo(r.y, 1);
  });

  it('gives bit-identical bundles for identical input', () => {
    const run = () => trainBundle({ rows, features: ['x', 'g'], categorical: ['g'], label: 'cls', task: 'binary-classification', positiveLabel: 'yes', algorithm: 'logistic-regression', params: {} }).bundle;
    expect(JSON.stringify(run())).toBe(JSON.stringify(run()));
    expect(run().labels).toEqual({ positive: 'yes', negative: 'no' });
  });

  it('fits preprocessing on the given rows only, with categories sorted', () => {
    const { bundle } = trainBundle({ rows: rows.filter((r) => r.g === 'q'), features: ['x', 'g'], categorical: ['g'], label: 'cls', task: 'binary-classification', positiveLabel: 'yes', algorithm: 'logistic-regression', params: { epochs: 5 } });
    expect(bundle.features[1]).toEqual({ name: 'g', kind: 'categorical', categories: ['q'] });
  });

  it('scores identically through the training path and the serving path', () => {
    const { bundle } = trainBundle({ rows, features: ['x', 'g'], categorical: ['g'], label: 'cls', task: 'binary-classification', positiveLabel: 'yes', algorithm: 'logistic-regression', params: {} });
    const training = trainingPathScores(bundle, rows);
    rows.forEach((r, i) => expect(Math.abs(training[i] - predictRow(bundle, r).score)).toBeLessThan(1e-12));
  });

  it('refuses a classification algorithm for a regression task', () => {
    expect(() => trainBundle({ rows, features: ['x'], categorical: [], label: 'y', task: 'regression', positiveLabel: '1', algorithm: 'logistic-regression', params: {} })).toThrow(/use linear-regression/);
  });
});
