/**
 * One bearer-authenticated JSON request to the gateway's admin listener. The routing adapter,
 * the monitor's log reader and the review client all speak to it through this.
 */
import type { z } from 'zod';
import { formatIssues } from '../../domain/errors';
import { ErrorBodySchema } from '../../http/http-error';

export interface AdminHttpOptions {
  /** The gateway's admin listener, e.g. http://127.0.0.1:8081. */
  adminUrl: string;
  token: string;
  /** Per-request timeout; each client sets its own default. */
  timeoutMs?: number;
}

export interface AdminResponse {
  status: number;
  json: unknown;
}

export type AdminRequest = (method: string, path: string, body?: unknown) => Promise<AdminResponse>;

export function createAdminRequest(o: AdminHttpOptions, defaultTimeoutMs: number): AdminRequest {
  const base = o.adminUrl.replace(/\/+$/, '');
  return async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${o.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(o.timeoutMs ?? defaultTimeoutMs),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { message: text.slice(0, 300) };
    }
    return { status: res.status, json };
  };
}

/** What the gateway said went wrong (its error code and message, see docs/http.md), or nothing. */
export function errorDetail(json: unknown): string {
  const e = ErrorBodySchema.safeParse(json);
  if (e.success) return `${e.data.error}: ${e.data.message}`;
  return (json as { message?: string } | null)?.message ?? 'no detail';
}

export function parseAdminBody<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const r = schema.safeParse(json);
  if (!r.success) throw new Error(`gateway returned an unexpected ${what}: ${formatIssues(r.error.issues).join('; ')}`);
  return r.data;
}

/** A JSON call that must succeed: any non-2xx answer becomes an error carrying the gateway's detail. */
export function createAdminJsonCall(o: AdminHttpOptions, defaultTimeoutMs: number) {
  const request = createAdminRequest(o, defaultTimeoutMs);
  return async function call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const r = await request(method, path, body);
    if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${path.split('?')[0]} failed with HTTP ${r.status}: ${errorDetail(r.json)}`);
    return parseAdminBody(schema, r.json, `body for ${path.split('?')[0]}`);
  };
}
