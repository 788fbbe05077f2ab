/**
 * Reads docker-compose.yml the way `docker compose` does for the parts mlgate depends on: YAML
 * with merge keys, then `${VAR...}` interpolation from the host environment. No Docker engine runs
 * on CI machines, so this is what lets a test hold the compose file to the code's configuration.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const COMPOSE_PATH = path.join(REPO_ROOT, 'docker-compose.yml');

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** The subset of a compose service these tests read. Other keys pass through untouched. */
const ServiceSchema = z.looseObject({
  image: z.string().optional(),
  build: z.union([z.string(), z.looseObject({ context: z.string(), dockerfile: z.string().optional() })]).optional(),
  command: z.union([z.string(), z.array(z.string())]).optional(),
  entrypoint: z.union([z.string(), z.array(z.string())]).optional(),
  // Map form only: the list form (`- KEY=value`) hides duplicate keys.
  environment: z.record(z.string(), scalar, { message: 'environment must use the map form (KEY: value)' }).optional(),
  ports: z.array(z.string({ message: 'ports must use the short string form, e.g. "127.0.0.1:8081:8081"' })).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']) })).optional(),
  volumes: z.array(z.string()).optional(),
  healthcheck: z.looseObject({ test: z.union([z.string(), z.array(z.string())]) }).optional(),
  profiles: z.array(z.string()).optional(),
});
export type ComposeService = z.infer<typeof ServiceSchema>;

const ComposeSchema = z.looseObject({
  name: z.string().min(1),
  services: z.record(z.string(), ServiceSchema),
  volumes: z.record(z.string(), z.union([z.null(), z.looseObject({})])).optional(),
});
export type ComposeFile = z.infer<typeof ComposeSchema>;

/** Reads and parses the compose file without interpolation (raw `${...}` strings kept). */
export function readRawCompose(file = COMPOSE_PATH): unknown {
  return parse(readFileSync(file, 'utf8'), { merge: true });
}

// Compose's grammar: `$$` is a literal dollar, `$NAME` and `${NAME[op arg]}` are references, and
// any other `$` is an error (so `$(cmd)` in a message breaks `docker compose up`).
const TEMPLATE = /\$(?:(\$)|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|)/g;

/** Compose interpolation of one string. Throws like compose does on a missing required variable. */
export function interpolate(value: string, hostEnv: Readonly<Record<string, string | undefined>>): string {
  return value.replace(TEMPLATE, (_m, escaped?: string, bare?: string, braced?: string, op?: string, arg = '') => {
    if (escaped) return '$';
    const name = bare ?? braced;
    if (!name) throw new Error(`invalid interpolation in ${JSON.stringify(value)}: write a literal $ as $$`);
    const v = hostEnv[name];
    const missing = op?.startsWith(':') ? v === undefined || v === '' : v === undefined;
    switch (op) {
      case undefined:
        return v ?? '';
      case ':-':
      case '-':
        return missing ? arg : (v as string);
      case ':?':
      case '?':
        if (missing) throw new Error(`required variable ${name} is missing a value: ${arg}`);
        return v as string;
      default: // ':+' and '+'
        return missing ? '' : arg;
    }
  });
}

/** Applies `fn` to every string in a parsed YAML tree, keys excluded. */
export function mapStrings(node: unknown, fn: (s: string) => string): unknown {
  if (typeof node === 'string') return fn(node);
  if (Array.isArray(node)) return node.map((n) => mapStrings(n, fn));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, mapStrings(v, fn)]));
  return node;
}

export interface VariableReference {
  name: string;
  /** `:?`, `:-`, ... or undefined for a bare `${NAME}`. */
  op?: string;
}

/** Every `${NAME...}` reference in the tree. */
export function collectReferences(node: unknown): VariableReference[] {
  const refs: VariableReference[] = [];
  mapStrings(node, (s) => {
    for (const m of s.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?/g)) refs.push({ name: m[1], op: m[2] });
    return s;
  });
  return refs;
}

/** Parses an interpolated tree, naming the key and the fix when it does not fit. */
export function parseCompose(tree: unknown): ComposeFile {
  const r = ComposeSchema.safeParse(tree);
  if (!r.success) throw new Error(r.error.issues.map((i) => `docker-compose.yml ${i.path.join('.')}: ${i.message}`).join('\n'));
  return r.data;
}

/** The compose file as `docker compose` would run it with `hostEnv` exported. */
export function loadCompose(hostEnv: Readonly<Record<string, string | undefined>>): ComposeFile {
  return parseCompose(mapStrings(readRawCompose(), (s) => interpolate(s, hostEnv)));
}

/** A service's environment as strings, the way the process sees it. */
export function serviceEnv(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

export interface PublishedPort {
  hostIp?: string;
  published: number;
  target: number;
}

/** Short port syntax: `[HOST_IP:]HOST:CONTAINER[/PROTOCOL]`. Ranges are not used in this project. */
export function parsePort(spec: string): PublishedPort {
  const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\d{1,5}):(\d{1,5})(?:\/(?:tcp|udp))?$/.exec(spec);
  if (!m) throw new Error(`port ${JSON.stringify(spec)} is not [HOST_IP:]HOST:CONTAINER; write both ports explicitly`);
  return { hostIp: m[1], published: Number(m[2]), target: Number(m[3]) };
}
