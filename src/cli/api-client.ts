/**
 * The approvals server's JSON API as the CLI calls it with MLGATE_API_TOKEN: the server verifies
 * who the token belongs to, and refusals come back in the one error shape (docs/http.md).
 */
import type { Config } from '../config/env';
import { ErrorBodySchema } from '../http/http-error';
import { CliError } from './cli-error';

export async function api(cfg: Config, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${cfg.serverUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${cfg.MLGATE_API_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  }).catch((err: Error) => {
    throw new CliError(`cannot reach the approvals server at ${cfg.serverUrl}: ${err.message}`);
  });
  const json: unknown = await res.json().catch(() => ({}));
  if (!res.ok) {
    // The same words as a refusal through the Temporal Update in the embedded CLI.
    const e = ErrorBodySchema.safeParse(json);
    throw new CliError(e.success ? `refused (${e.data.error}): ${e.data.message}` : `refused (HTTP ${res.status}): ${res.statusText}`);
  }
  return json;
}
