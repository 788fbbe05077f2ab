/**
 * The predict route's lane: `POST /v1/models/:model/predict` with a JSON body of known length is
 * answered straight from node:http, without fastify's request pipeline, which cost the gateway most
 * of its throughput (bench/gateway). The answers are the route's own: the same `servePredict`, the
 * same body validation (a quick check of the shape; anything it doubts goes through the route's zod
 * schema for the word-for-word 400), the same JSON parser and its errors, the same error body.
 * Every other request, and every unusual one (no content-length, an empty or too-large body,
 * another content type, an encoded model name), is passed on to fastify.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorCodes, type FastifyBaseLogger } from 'fastify';
import secureJson from 'secure-json-parse';
import type { Row } from '../domain/model/bundle';
import { validateBody } from '../http/http-app';
import { ErrorCode, HttpError } from '../http/http-error';
import { MAX_ROWS_PER_REQUEST, PredictBodySchema } from './predict-route';
import { servePredict, type PredictDeps, type PredictOutcome } from './serve-predict';

const PREFIX = '/v1/models/';
const SUFFIX = '/predict';
/** Model names the lane takes: plain ones within fastify's default maxParamLength (100); fastify routes the rest. */
const PLAIN_MODEL = /^[A-Za-z0-9._~-]{1,100}$/;
/** fastify's own JSON parser settings (its defaults), so a body is accepted or refused alike. */
const PARSE_OPTIONS = { protoAction: 'error', constructorAction: 'error' } as const;
const INVALID_JSON = new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY().message;

export interface PredictLaneOptions {
  /** fastify's bodyLimit for the listener. */
  bodyLimit: number;
  logger?: FastifyBaseLogger;
}

function modelOf(url: string): string | null {
  if (!url.startsWith(PREFIX)) return null;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (!path.endsWith(SUFFIX)) return null;
  const model = path.slice(PREFIX.length, path.length - SUFFIX.length);
  return PLAIN_MODEL.test(model) ? model : null;
}

/** The rows when the body is plainly `{ rows: [ {..}, ... ] }` within the limits; otherwise zod decides. */
function rowsOf(body: unknown): Row[] | HttpError {
  const rows = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { rows?: unknown }).rows : undefined;
  const plain = Array.isArray(rows) && rows.length >= 1 && rows.length <= MAX_ROWS_PER_REQUEST && rows.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r));
  if (plain) return rows as Row[];
  const checked = validateBody(PredictBodySchema, body);
  return 'error' in checked ? checked.error : checked.value.rows as Row[];
}

function send(res: ServerResponse, status: number, payload: unknown, version?: string): void {
  const text = JSON.stringify(payload);
  const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) };
  if (version !== undefined) headers['x-mlgate-version'] = version;
  res.writeHead(status, headers);
  res.end(text);
}

function answer(deps: PredictDeps, o: PredictLaneOptions, model: string, req: IncomingMessage, text: string): PredictOutcome | Promise<PredictOutcome> {
  let body: unknown;
  try {
    body = secureJson.parse(text, undefined, PARSE_OPTIONS);
  } catch {
    return { ok: false, error: new HttpError(400, ErrorCode.INVALID_INPUT, INVALID_JSON) };
  }
  const rows = rowsOf(body);
  if (rows instanceof HttpError) return { ok: false, error: rows };
  return servePredict(deps, model, rows, req.headers, (fields, message) => o.logger?.warn(fields, message));
}

function reply(res: ServerResponse, out: PredictOutcome, logger?: FastifyBaseLogger): void {
  if (out.ok) return send(res, 200, out.body, out.version);
  if (out.error.status >= 500) logger?.error({ err: out.error }, 'gateway error');
  send(res, out.error.status, out.error.body(), out.version);
}

function fail(res: ServerResponse, err: unknown, logger?: FastifyBaseLogger): void {
  logger?.error({ err }, 'gateway error');
  send(res, 500, new HttpError(500, ErrorCode.INTERNAL, 'internal error; see the server log').body());
}

/** Returns the node:http handler: true when it took the request, false to pass it on to fastify. */
export function createPredictLane(deps: PredictDeps, o: PredictLaneOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const model = modelOf(req.url ?? '');
    if (!model) return false;
    const type = req.headers['content-type'];
    if (type !== 'application/json' && !type?.startsWith('application/json;')) return false;
    const length = Number(req.headers['content-length']);
    if (!(length > 0 && length <= o.bodyLimit)) return false;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
      let out: PredictOutcome | Promise<PredictOutcome>;
      try {
        out = answer(deps, o, model, req, text);
      } catch (err) {
        return fail(res, err, o.logger);
      }
      // A synchronous answer is written in this same turn, without a microtask hop.
      if (out instanceof Promise) out.then((r) => reply(res, r, o.logger), (err: unknown) => fail(res, err, o.logger));
      else reply(res, out, o.logger);
    });
    return true;
  };
}
