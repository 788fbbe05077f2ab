/** What commands share: the parsed config (once), a Temporal client, and who the user is. */
import type { Client, Connection } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { loadConfig, type Config } from '../config/env';
import { connectClient } from '../workers/components';
import { CliError } from './cli-error';

let cached: Config | undefined;
export function config(): Config {
  return (cached ??= loadConfig());
}

export async function withClient<T>(fn: (client: Client, cfg: Config) => Promise<T>): Promise<T> {
  const cfg = config();
  const address = cfg.MLGATE_TEMPORAL_ADDRESS || `127.0.0.1:${cfg.MLGATE_TEMPORAL_PORT}`;
  let conn: { client: Client; connection: Connection };
  try {
    conn = await connectClient(cfg, address);
  } catch (err) {
    throw new CliError(`cannot reach Temporal at ${address} (${(err as Error).message}). Start the stack with \`npm start\`, or set MLGATE_TEMPORAL_ADDRESS.`);
  }
  try {
    return await fn(conn.client, cfg);
  } finally {
    await conn.connection.close();
  }
}

/** The person running the command: --as, else MLGATE_USER, else the login name. */
export function whoAmI(as: string | undefined, cfg: Config): string {
  const who = as ?? cfg.user;
  if (!who) throw new CliError('cannot tell who you are: pass --as you@example.com or set MLGATE_USER', 2);
  return who;
}

/** The code version recorded in lineage: MLGATE_CODE_VERSION, else the git commit, else "dev". */
export function codeVersion(cfg: Config): string {
  if (cfg.MLGATE_CODE_VERSION) return cfg.MLGATE_CODE_VERSION;
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || 'dev';
  } catch {
    return 'dev';
  }
}

export function uiLink(cfg: Config, workflowId: string): string {
  return `http://127.0.0.1:${cfg.MLGATE_TEMPORAL_UI_PORT}/namespaces/${cfg.MLGATE_TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(workflowId)}`;
}
