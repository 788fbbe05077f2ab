/**
 * The predict lane (node:http, for bodies of known length) and the fastify route (what the lane
 * passes on, e.g. a chunked body) answer every request alike: same status, same body, same
 * x-mlgate-version header. A real gateway; each body is sent both ways.
 */
import { Readable } from 'node:stream';
import { MODEL, ROWS, startTestGateway, type TestGateway } from './fixtures';

const BODIES: Array<[string, string]> = [
  ['a good batch', JSON.stringify({ rows: ROWS.slice(0, 3) })],
  ['a body that is not JSON', '{"rows": ['],
  ['a body without rows', '{}'],
  ['a JSON array', '[1, 2]'],
  ['a row that is an array', JSON.stringify({ rows: [[1, 2]] })],
  ['a row that is null', JSON.stringify({ rows: [null] })],
  ['an empty batch', JSON.stringify({ rows: [] })],
  ['1001 rows', JSON.stringify({ rows: Array.from({ length: 1001 }, () => ROWS[0]) })],
  ['a word for a number', JSON.stringify({ rows: [{ income: 'thirty', debt: 2 }] })],
  ['a prototype-poisoning row', '{"rows": [{"income": 1, "__proto__": {"debt": 2}}]}'],
  ['a constructor-poisoning row', '{"rows": [{"income": 1, "constructor": {"prototype": {"debt": 2}}}]}'],
];

interface Answer {
  status: number;
  version: string | null;
  body: unknown;
}

describe('the predict lane', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
    await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' } });
  });
  afterAll(async () => gw?.close());

  async function send(path: string, body: string, chunked: boolean): Promise<Answer> {
    const init = chunked
      ? { body: Readable.toWeb(Readable.from([Buffer.from(body)])) as ReadableStream, duplex: 'half' as const }
      : { body };
    const res = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...init } as RequestInit);
    const json = (await res.json()) as Record<string, unknown>;
    // Prediction ids are random per request; their count and shape are what must match.
    const ids = json.predictionIds as string[] | undefined;
    if (ids) json.predictionIds = ids.map((id) => /^[0-9a-f-]{36}:\d+$/.test(id));
    return { status: res.status, version: res.headers.get('x-mlgate-version'), body: json };
  }

  it.each(BODIES)('answers %s exactly as the fastify route does', async (_title, body) => {
    const path = `/v1/models/${MODEL}/predict`;
    expect(await send(path, body, false)).toEqual(await send(path, body, true));
  });

  it('answers a model with no routing exactly as the fastify route does', async () => {
    const body = JSON.stringify({ rows: [ROWS[0]] });
    expect(await send('/v1/models/nobody/predict', body, false)).toEqual(await send('/v1/models/nobody/predict', body, true));
  });
});
