import { hashUnit, mulberry32 } from '../../../src/domain/data/prng';
import { splitRows, SplitError } from '../../../src/domain/data/split';
import { generateSyntheticCredit } from '../../../src/domain/data/synthetic-credit';
import type { Row } from '../../../src/domain/model/bundle';

const take = (rand: () => number, n: number) => Array.from({ length: n }, rand);

describe('seeded PRNG and hashing', () => {
  it('yields the same sequence for the same seed and a different one for another seed', () => {
    expect(take(mulberry32(123), 5)).toEqual(take(mulberry32(123), 5));
    expect(take(mulberry32(123), 5)).not.toEqual(take(mulberry32(124), 5));
    expect(take(mulberry32(9), 1000).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('maps text to the unit interval deterministically and depends on the seed', () => {
    expect(hashUnit('row', 1)).toBe(hashUnit('row', 1));
    expect(hashUnit('row', 1)).not.toBe(hashUnit('row', 2));
  });

  it('generates identical synthetic credit data for the same seed', () => {
    expect(generateSyntheticCredit({ rows: 200, seed: 5 })).toEqual(generateSyntheticCredit({ rows: 200, seed: 5 }));
    expect(generateSyntheticCredit({ rows: 200, seed: 5 })).not.toEqual(generateSyntheticCredit({ rows: 200, seed: 6 }));
  });

  it('shifts income down and debt ratio up when drift is raised', () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const base = generateSyntheticCredit({ rows: 2000, seed: 3, drift: 0 });
    const drifted = generateSyntheticCredit({ rows: 2000, seed: 3, drift: 3 });
    expect(mean(drifted.map((r) => r.income))).toBeLessThan(mean(base.map((r) => r.income)) * 0.8);
    expect(mean(drifted.map((r) => r.debt_ratio))).toBeGreaterThan(mean(base.map((r) => r.debt_ratio)) + 0.1);
  });
});

const rows: Row[] = Array.from({ length: 500 }, (_, i) => ({ id: i, x: i % 7, t: `2024-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:${String(i % 60).padStart(2, '0')}Z` }));
const ids = (rs: Row[]) => rs.map((r) => r.id as number).sort((a, b) => a - b);

describe('deterministic splits', () => {
  it('puts each row on the same side of a random split whatever the input order', () => {
    const a = splitRows(rows, { kind: 'random', testFraction: 0.2, seed: 42 });
    const b = splitRows([...rows].reverse(), { kind: 'random', testFraction: 0.2, seed: 42 });
    expect(ids(b.test)).toEqual(ids(a.test));
    expect(a.train).toEqual(b.train);
    expect(a.test.length).toBeGreaterThan(70);
    expect(a.test.length).toBeLessThan(130);
  });

  it('changes random split membership when the seed changes', () => {
    const a = splitRows(rows, { kind: 'random', testFraction: 0.2, seed: 1 });
    const b = splitRows(rows, { kind: 'random', testFraction: 0.2, seed: 2 });
    expect(ids(a.test)).not.toEqual(ids(b.test));
  });

  it('puts the newest rows in the test set of a time split so no training row is newer than a test row', () => {
    const r = splitRows(rows, { kind: 'time', column: 't', testFraction: 0.25 });
    expect(r.test).toHaveLength(125);
    const latestTrain = Math.max(...r.train.map((x) => Date.parse(x.t as string)));
    const earliestTest = Math.min(...r.test.map((x) => Date.parse(x.t as string)));
    expect(latestTrain).toBeLessThanOrEqual(earliestTest);
    expect(Date.parse(r.boundary?.trainMax as string)).toBe(latestTrain);
    expect(Date.parse(r.boundary?.testMin as string)).toBe(earliestTest);
  });

  it('rejects a time split whose time column holds a value that is not a date, naming the column', () => {
    const bad = [...rows, { id: 999, x: 1, t: 'yesterday' }];
    expect(() => splitRows(bad, { kind: 'time', column: 't', testFraction: 0.2 })).toThrow(SplitError);
    expect(() => splitRows(bad, { kind: 'time', column: 't', testFraction: 0.2 })).toThrow(/time column "t" has "yesterday"/);
  });
});
