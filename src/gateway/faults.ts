/** Injected faults per model version, for drills and benchmarks. Off unless the gateway enables it. */
import { z } from 'zod';

export const FaultSchema = z.object({
  model: z.string().min(1),
  version: z.string().min(1, 'name the version (artifact id) to slow down or break'),
  /** Extra latency added to each call. @default 0 */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Share of calls that fail with 500. @default 0 */
  errorRate: z.number().min(0).max(1).default(0),
});
export type Fault = z.infer<typeof FaultSchema>;

export interface Faults {
  set(f: Fault): void;
  clear(model?: string): void;
  get(model: string, version: string): Fault | undefined;
  list(): Fault[];
}

export function createFaults(): Faults {
  const map = new Map<string, Fault>();
  const key = (m: string, v: string) => `${m}\u0000${v}`;
  return {
    set: (f) => void map.set(key(f.model, f.version), f),
    clear(model) {
      for (const [k, f] of map) if (model === undefined || f.model === model) map.delete(k);
    },
    get: (m, v) => (map.size ? map.get(key(m, v)) : undefined),
    list: () => [...map.values()],
  };
}

export class InjectedFaultError extends Error {
  constructor(version: string) {
    super(`injected fault on version ${version}`);
    this.name = 'InjectedFaultError';
  }
}

/** Applies a fault: waits the extra latency, then throws for the sampled share of calls. */
export async function applyFault(f: Fault | undefined, random: () => number): Promise<void> {
  if (!f) return;
  if (f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
  if (f.errorRate > 0 && random() < f.errorRate) throw new InjectedFaultError(f.version);
}
