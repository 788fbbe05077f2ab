/** Durations in specs and CLI flags: `500ms`, `10s`, `5m`, `24h`, `7d`. Pure, sandbox-safe. */
import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

export const DurationSchema = z
  .string()
  .regex(DURATION_RE, 'expected a duration such as "500ms", "10s", "5m", "24h" or "7d"');
export type Duration = z.infer<typeof DurationSchema>;

/** Milliseconds in a duration string. Throws on a malformed string (validate with DurationSchema first). */
export function durationMs(d: Duration): number {
  const m = DURATION_RE.exec(d);
  if (!m) throw new Error(`invalid duration "${d}": expected e.g. "10s", "5m", "24h"`);
  return Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
}
