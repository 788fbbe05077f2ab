/**
 * Shared by the HTTP benchmarks: a server in a child process (so the load generator does not share
 * its event loop), and autocannon against a predict endpoint.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';

export interface CannonResult {
  latency: { p50: number; p99: number; average: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}
/** The run is a promise of its result that can also be stopped early (long open-loop traffic). */
type Autocannon = (opts: Record<string, unknown>) => Promise<CannonResult> & { stop(): void };
// autocannon ships no types; this is the slice of its API used here.
export const autocannon = createRequire(__filename)('autocannon') as Autocannon;

export interface Child {
  url: string;
  adminUrl: string;
  /** Asks the child to close (it exits once its server has). */
  stop: () => void;
  process: ChildProcess;
}

/** Forks `script` (run through tsx), sends it `init`, and waits for the URLs it answers with. */
export async function startChild(script: string, init?: object): Promise<Child> {
  const child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (init) child.send(init);
  const urls = await new Promise<{ url: string; adminUrl: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; adminUrl: string }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { ...urls, stop: () => child.disconnect(), process: child };
}

/** autocannon POSTing `{ rows }` to `<url>/v1/models/<model>/predict`. */
export function cannonPredict(url: string, model: string, rows: unknown[], extra: Record<string, unknown>): Promise<CannonResult> {
  return autocannon({
    url: `${url}/v1/models/${model}/predict`, method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rows }), ...extra,
  });
}
