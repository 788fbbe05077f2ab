/**
 * Deterministic train/test splits. Pure.
 * - random: membership comes from a seeded hash of the row's canonical content, so reordering
 *   the file never moves a row between train and test.
 * - time: rows are ordered by the time column and the newest `testFraction` become the test set,
 *   so no training row is newer than a test row.
 */
import { canonicalJson } from '../canonical-json';
import type { Row } from '../model/bundle';
import type { Split } from '../spec';
import { hashUnit } from './prng';

export interface SplitResult {
  train: Row[];
  test: Row[];
  /** Time splits only: the newest training time and the oldest test time (ISO or number as found). */
  boundary?: { column: string; trainMax: string | number; testMin: string | number };
}

export class SplitError extends Error {}

/** Milliseconds (or the raw number) of a time-column value; throws naming the row on bad values. */
export function timeValue(value: unknown, column: string, index: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const asNumber = Number(value);
    if (Number.isFinite(asNumber)) return asNumber;
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw new SplitError(`row ${index + 1}: time column "${column}" has ${JSON.stringify(value).slice(0, 40)}, expected an ISO date or a number`);
}

/** Rows sorted by canonical content: the output must not depend on input order. */
function canonicalOrder(rows: Row[]): Row[] {
  return rows
    .map((row) => ({ row, key: canonicalJson(row) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.row);
}

function randomSplit(rows: Row[], testFraction: number, seed: number): SplitResult {
  const train: Row[] = [];
  const test: Row[] = [];
  for (const row of canonicalOrder(rows)) (hashUnit(canonicalJson(row), seed) < testFraction ? test : train).push(row);
  return { train, test };
}

function timeSplit(rows: Row[], column: string, testFraction: number): SplitResult {
  const keyed = canonicalOrder(rows).map((row, i) => ({ row, t: timeValue(row[column], column, i) }));
  // Stable sort on time; ties keep canonical order, so the result is order-independent.
  keyed.sort((a, b) => a.t - b.t);
  const testCount = Math.max(1, Math.round(rows.length * testFraction));
  const cut = keyed.length - testCount;
  const train = keyed.slice(0, cut);
  const test = keyed.slice(cut);
  if (train.length === 0) throw new SplitError(`time split left no training rows (${rows.length} rows, testFraction ${testFraction})`);
  const trainMax = train[train.length - 1];
  const testMin = test[0];
  if (trainMax.t > testMin.t) throw new SplitError('time split leaked: a training row is newer than a test row');
  return {
    train: train.map((k) => k.row),
    test: test.map((k) => k.row),
    boundary: { column, trainMax: trainMax.row[column] as string | number, testMin: testMin.row[column] as string | number },
  };
}

export function splitRows(rows: Row[], split: Split): SplitResult {
  if (split.kind === 'random') return randomSplit(rows, split.testFraction, split.seed);
  return timeSplit(rows, split.column, split.testFraction);
}
