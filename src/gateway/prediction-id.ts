/**
 * Prediction ids: a UUID in version 7's layout (RFC 9562), the creation time in milliseconds first,
 * then random bits. Ids made close in time sort close together, so the prediction log appends to
 * the end of its unique index instead of writing pages all over it: with random (v4) ids each
 * SQLite insert cost about 4x the CPU once the table held a few hundred thousand rows, on the
 * writer thread that shares the machine's cores with the requests (bench/gateway/profile.ts).
 * The time is the moment the caller got the answer, which the caller knows anyway.
 */
import { randomUUID } from 'node:crypto';

/** The time part of the last millisecond asked for: thousands of ids a second share a few hundred. */
let lastMs = -1;
let lastPrefix = '';

/** `tttttttt-tttt-7rrr-vrrr-rrrrrrrrrrrr`: node's pooled v4 randomness with the time and version put in. */
export function timeOrderedId(nowMs: number = Date.now()): string {
  if (nowMs !== lastMs) {
    const t = nowMs.toString(16).padStart(12, '0');
    lastPrefix = `${t.slice(0, 8)}-${t.slice(8, 12)}-7`;
    lastMs = nowMs;
  }
  // Characters from 15 on are v4's random bits and its variant (10xx), which v7 keeps as they are.
  return lastPrefix + randomUUID().slice(15);
}
