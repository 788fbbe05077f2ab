import { mulberry32 } from '../../../src/domain/data/prng';
import { createSortedIndex, locateAll, lowerBound, NOT_FINITE } from '../../../src/domain/drift/sorted-index';

/** What locateAll must return, from the plain binary search. */
function expectedCodes(sorted: number[], values: number[]): number[] {
  return values.map((x) => {
    if (!Number.isFinite(x)) return NOT_FINITE;
    const k = lowerBound(sorted, x);
    return 2 * k + (sorted[k] === x ? 1 : 0);
  });
}

describe('locateAll', () => {
  it('agrees with plain binary search on a heavy-tailed reference with ties, the extremes and values outside the range', () => {
    const rand = mulberry32(5);
    // Lognormal-like tail: most values crowd the first buckets, a few sit far out; rounding makes ties.
    const sorted = Array.from({ length: 2000 }, () => Math.round(Math.exp(6 * rand() ** 3) * 10) / 10).sort((a, b) => a - b);
    const values = [
      ...Array.from({ length: 20000 }, () => Math.round(Math.exp(6.5 * rand() ** 3) * 10) / 10 - 0.5),
      sorted[0], sorted[sorted.length - 1], -1e308, 1e308, 0, NaN, Infinity, -Infinity,
    ];
    expect(Array.from(locateAll(createSortedIndex(sorted), values))).toEqual(expectedCodes(sorted, values));
  });

  it('handles a reference whose values are all equal, and an empty reference', () => {
    expect(Array.from(locateAll(createSortedIndex([2, 2, 2]), [1, 2, 3]))).toEqual([0, 1, 6]);
    expect(Array.from(locateAll(createSortedIndex([]), [1, -1, NaN]))).toEqual([0, 0, NOT_FINITE]);
  });

  it('marks a value equal to a reference value with the low bit, by hand', () => {
    // sorted [1, 3]: 0 -> k 0; 1 -> k 0, equal; 2 -> k 1; 3 -> k 1, equal; 4 -> k 2
    expect(Array.from(locateAll(createSortedIndex([1, 3]), [0, 1, 2, 3, 4]))).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('createSortedIndex', () => {
  it('refuses unsorted values, naming the position and the fix', () => {
    expect(() => createSortedIndex([1, 3, 2])).toThrow('value 2 is 2 after 3; sort the reference sample');
  });

  it('refuses non-finite values', () => {
    expect(() => createSortedIndex([1, NaN])).toThrow('value 1 is NaN');
    expect(() => createSortedIndex([-Infinity, 0])).toThrow('value 0 is -Infinity');
  });
});
