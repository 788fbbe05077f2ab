/**
 * Deterministic test samples that scipy can reproduce bit for bit: mulberry32 uniforms are
 * k / 2^32, so a sum of 12 of them minus 6 (an Irwin–Hall approximately standard normal) is exact
 * in double precision, in JavaScript and in numpy alike.
 */
import { mulberry32 } from '../../../src/domain/data/prng';

export function irwinHallNormals(seed: number, n: number, shift = 0): number[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => {
    let s = 0;
    for (let k = 0; k < 12; k++) s += rand();
    return s - 6 + shift;
  });
}
