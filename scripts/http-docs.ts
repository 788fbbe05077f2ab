/**
 * The HTTP reference, generated: starts each mlgate server on loopback (the approvals server, the
 * gateway's public and admin listeners, the mail catcher's web mailbox), reads its `/openapi.json`
 * over HTTP, and writes `docs/openapi/<server>.json` and `docs/http.md`.
 * `npx tsx scripts/http-docs.ts` rewrites them; test/integration/http/openapi.test.ts fails when they are stale.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApprovalsServer } from '../src/approvals-server';
import { openApprovalsStore } from '../src/adapters/approvals-store/sqlite/approvals-store';
import { createGateway } from '../src/gateway';
import type { ConsolePorts } from '../src/ports/console';
import { createMailCatcher } from '../src/smtp-catcher/catcher';

export const SERVERS = ['approvals', 'gateway', 'gateway-admin', 'mailbox'] as const;
export type ServerName = (typeof SERVERS)[number];
export type OpenApiDocument = {
  openapi: string; info: { title: string; description?: string }; paths: Record<string, Record<string, Operation>>;
};
type Operation = {
  summary?: string; tags?: string[]; security?: unknown[]; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> }; responses?: Record<string, unknown>;
};
type Parameter = { in: string; name: string; required?: boolean; schema?: JsonSchema; description?: string };
type JsonSchema = {
  type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; description?: string; enum?: unknown[]; anyOf?: JsonSchema[]; items?: JsonSchema; default?: unknown;
};

const ADMIN_TOKEN = 'docs-admin-token-0123456789';
const unused = (what: string) => async (): Promise<never> => {
  throw new Error(`${what} is not used while collecting the OpenAPI documents`);
};

async function fetchDocument(url: string, headers: Record<string, string> = {}): Promise<OpenApiDocument> {
  const res = await fetch(`${url}/openapi.json`, { headers });
  if (!res.ok) throw new Error(`GET ${url}/openapi.json answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as OpenApiDocument;
}

/** Every server's OpenAPI document, read over HTTP from a real listener. */
export async function collectOpenApiDocuments(): Promise<Record<ServerName, OpenApiDocument>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mlgate-http-docs-'));
  const store = openApprovalsStore({ dataDir: dir });
  const consolePorts = Object.fromEntries(['listReleases', 'status', 'model', 'cancel', 'rollback', 'trafficWindow', 'auditRecord', 'verifyAudit'].map((k) => [k, unused(`console.${k}`)])) as unknown as ConsolePorts;
  const approvals = createApprovalsServer({
    secret: 'x'.repeat(32), store, decide: { decide: unused('decide') }, readRelease: { get: unused('readRelease.get'), listPending: unused('listPending') }, console: { ports: consolePorts },
  });
  const gateway = createGateway({ adminToken: ADMIN_TOKEN, stateDir: dir, loadBundle: unused('loadBundle') });
  const catcher = createMailCatcher();
  try {
    const a = await approvals.start();
    const g = await gateway.start();
    const c = await catcher.start();
    return {
      approvals: await fetchDocument(a.url),
      gateway: await fetchDocument(g.url),
      'gateway-admin': await fetchDocument(g.adminUrl, { authorization: `Bearer ${ADMIN_TOKEN}` }),
      mailbox: await fetchDocument(c.webUrl),
    };
  } finally {
    await Promise.allSettled([approvals.stop(), gateway.stop(), catcher.stop()]);
    store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const typeOf = (s: JsonSchema | undefined): string => {
  if (!s) return '';
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' or ');
  if (s.type === 'array') return `${typeOf(s.items)}[]`;
  return Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
};
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function fieldRows(where: string, schema: JsonSchema | undefined): string[] {
  if (!schema?.properties) return [];
  return Object.entries(schema.properties).map(([name, p]) => {
    const required = schema.required?.includes(name) ? 'yes' : 'no';
    const def = p.default !== undefined ? ` (default ${JSON.stringify(p.default)})` : '';
    return `| ${where} | \`${name}\` | ${cell(typeOf(p))} | ${required} | ${cell(`${p.description ?? ''}${def}`.trim())} |`;
  });
}

function operationSection(method: string, url: string, op: Operation): string[] {
  const lines = [`#### \`${method.toUpperCase()} ${url}\``, '', op.summary ?? '', ''];
  const params = (op.parameters ?? []).map((p) => {
    const def = p.schema?.default !== undefined ? ` (default ${JSON.stringify(p.schema.default)})` : '';
    return `| ${p.in} | \`${p.name}\` | ${cell(typeOf(p.schema))} | ${p.required ? 'yes' : 'no'} | ${cell(`${p.description ?? p.schema?.description ?? ''}${def}`.trim())} |`;
  });
  const [bodyType, body] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
  const bodySchema = body?.schema;
  if (bodyType) lines.push(`Body: \`${bodyType}\`.`, '');
  const rows = [...params, ...fieldRows('body', bodySchema)];
  if (rows.length > 0) lines.push('| in | name | type | required | notes |', '|---|---|---|---|---|', ...rows, '');
  const codes = Object.keys(op.responses ?? {}).join(', ');
  if (codes) lines.push(`Responses: ${codes}.`, '');
  return lines;
}

const TITLES: Record<ServerName, string> = {
  approvals: 'Approvals server (`MLGATE_SERVER_URL`, default 127.0.0.1)',
  gateway: 'Gateway, public listener',
  'gateway-admin': 'Gateway, admin listener (127.0.0.1 and a bearer token by default)',
  mailbox: 'Mail catcher web mailbox (development SMTP catcher)',
};

export function renderHttpMarkdown(docs: Record<ServerName, OpenApiDocument>): string {
  const out = [
    '# HTTP reference',
    '',
    '<!-- Generated by `npx tsx scripts/http-docs.ts` from the zod schemas of the routes; do not edit by hand. -->',
    '',
    'Every mlgate server serves its own OpenAPI 3.1 document at `GET /openapi.json` (on the gateway\'s admin listener it needs the admin token, like every admin route).',
    'The same documents are in [`docs/openapi/`](openapi/). Request bodies, path and query parameters are validated with the zod schemas these documents are generated from.',
    '',
    '## Errors',
    '',
    'Every error from every server has one shape, with the HTTP status that fits it:',
    '',
    '```json',
    '{ "error": "INVALID_INPUT", "message": "body.rows: send at least one row", "problems": ["body.rows: send at least one row"] }',
    '```',
    '',
    '- `error`: a code in UPPER_SNAKE_CASE. The servers use `INVALID_INPUT` (400), `UNAUTHORIZED` (401), `FORBIDDEN` (403), `NOT_FOUND` (404), `CONFLICT` (409), `GONE` (410), `PAYLOAD_TOO_LARGE` (413), `UNSUPPORTED_MEDIA_TYPE` (415), `PREDICT_FAILED` and `INTERNAL` (500), and `UNAVAILABLE` (503: a database mlgate needs is down for now; retry).',
    '  Approval decisions add the refusal codes of the approval policy: `SELF_APPROVAL`, `NOT_ALLOWED`, `SIGNALS_DISABLED` (403), `GATE_NOT_OPEN`, `ALREADY_VOTED`, `RELEASE_MOVED_ON` (409), `INVALID` (400);',
    '  emailed links add `LINK_MALFORMED` (400), `LINK_BAD_SIGNATURE` (403), `LINK_EXPIRED` (410) and `LINK_USED` (409).',
    '- `message`: one line for people, naming what is wrong and how to fix it.',
    '- `problems` (with `INVALID_INPUT` and batch refusals): one entry per bad field, as `path.to.field: what to send` (`params.`, `query.` or `body.` first).',
    '- `details` (some errors): facts for clients, e.g. `details.current` (the routing now) with a routing `CONFLICT`, `details.version` with `PREDICT_FAILED`.',
    '',
    'Pages for people (the approval-link pages, the web mailbox) show the same code and message as an HTML page with the same status. A 5xx never carries internals; the cause is in the server log.',
    '',
  ];
  for (const name of SERVERS) {
    const doc = docs[name];
    out.push(`## ${TITLES[name]}`, '', doc.info.description ?? '', '');
    for (const [url, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) out.push(...operationSection(method, url, op));
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

export const docsDir = path.join(__dirname, '..', 'docs');
export const documentFile = (name: ServerName) => path.join(docsDir, 'openapi', `${name}.json`);
export const documentText = (doc: OpenApiDocument) => `${JSON.stringify(doc, null, 2)}\n`;

async function main(): Promise<void> {
  const docs = await collectOpenApiDocuments();
  for (const name of SERVERS) await writeFile(documentFile(name), documentText(docs[name]));
  await writeFile(path.join(docsDir, 'http.md'), renderHttpMarkdown(docs));
  console.log(`wrote docs/http.md and docs/openapi/{${SERVERS.join(',')}}.json`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
