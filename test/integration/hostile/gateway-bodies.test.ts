/**
 * Hostile and malformed requests against every route of a REAL gateway (both listeners), table
 * driven. Each gets a clear error in the one error shape (docs/http.md) naming what is wrong; none changes routing, the prediction log,
 * the review queue, the faults or the metric windows; and the gateway keeps answering good requests.
 */
import { codeForStatus, ErrorBodySchema } from '../../../src/http/http-error';
import { MODEL, ROWS, TOKEN, predict, startTestGateway, type TestGateway } from '../gateway/fixtures';

type Listener = 'public' | 'admin';
interface Case {
  title: string;
  on: Listener;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  status: number;
  message: RegExp;
}

const JSON_CT = { 'content-type': 'application/json' };
const AUTH = { authorization: `Bearer ${TOKEN}` };
const ADMIN_JSON = { ...JSON_CT, ...AUTH };
const json = (v: unknown) => JSON.stringify(v);

const CASES: Case[] = [
  { title: 'predict with a body that is not JSON', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/predict`, headers: JSON_CT, body: '{"rows": [', status: 400, message: /not valid JSON/i },
  { title: 'predict without rows', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/predict`, headers: JSON_CT, body: '{}', status: 400, message: /body\.rows: send \{ "rows"/ },
  { title: 'predict with rows that is a string', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/predict`, headers: JSON_CT, body: json({ rows: 'income=1' }), status: 400, message: /body\.rows: / },
  { title: 'predict with a row that is an array', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/predict`, headers: JSON_CT, body: json({ rows: [[1, 2]] }), status: 400, message: /body\.rows\.0: each row is an object/ },
  { title: 'predict with an empty batch', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/predict`, headers: JSON_CT, body: json({ rows: [] }), status: 400, message: /body\.rows: send at least one row/ },
  { title: 'predict with 1001 rows', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/predict`, headers: JSON_CT, body: json({ rows: Array.from({ length: 1001 }, () => ROWS[0]) }), status: 400, message: /at most 1000 rows per request; split the batch/ },
  { title: 'predict with a 2 MB body', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/predict`, headers: JSON_CT, body: json({ rows: [{ income: 'x'.repeat(2 * 1024 * 1024) }] }), status: 413, message: /too large/i },
  { title: 'predict sent as text/plain', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/predict`, headers: { 'content-type': 'text/plain' }, body: 'rows', status: 400, message: /^body: send a JSON object \{ "rows": \[ \.\.\. \] \} with content-type: application\/json/ },
  { title: 'feedback sent as a bare list', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/feedback`, headers: JSON_CT, body: json([{ predictionId: 'p:0', outcome: '1' }]), status: 400, message: /body: send a JSON object \{ "feedback": \[ \.\.\. \] \} with content-type: application\/json/ },
  { title: 'predict for a model with no routing', on: 'public', method: 'POST', path: '/v1/models/nobody/predict', headers: JSON_CT, body: json({ rows: [ROWS[0]] }), status: 404, message: /no serving version; set its routing/ },
  { title: 'predict with rows that carry none of the model features', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/predict`, headers: JSON_CT, body: json({ rows: [ROWS[0], { salary: 1 }] }), status: 400, message: /body\.rows\.1: none of the model's features is present; send income, debt/ },
  { title: 'predict with a word for a numeric feature', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/predict`, headers: JSON_CT, body: json({ rows: [{ income: 'thirty', debt: 2 }] }), status: 400, message: /body\.rows\.0\.income: expected a number, got "thirty"/ },
  { title: 'feedback with an empty list', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/feedback`, headers: JSON_CT, body: json({ feedback: [] }), status: 400, message: /body\.feedback: send at least one feedback item/ },
  { title: 'feedback with neither outcome nor kpi', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/feedback`, headers: JSON_CT, body: json({ feedback: [{ predictionId: 'p:0' }] }), status: 400, message: /give an observed outcome, a kpi value, or both/ },
  { title: 'feedback with a kpi that is not a number', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/feedback`, headers: JSON_CT, body: json({ feedback: [{ predictionId: 'p:0', kpi: 'high' }] }), status: 400, message: /body\.feedback\.0\.kpi: / },
  { title: 'feedback for a prediction that was never made', on: 'public', method: 'POST', path: `/v1/models/${MODEL}/feedback`, headers: JSON_CT, body: json({ feedback: [{ predictionId: 'forged:0', outcome: '1' }] }), status: 404, message: /"forged:0" is not a logged prediction of credit/ },
  { title: 'a routing change without a token', on: 'admin', method: 'PUT', path: `/admin/models/${MODEL}/routing`, headers: JSON_CT, body: json({ stable: { version: 'v-inverted' } }), status: 401, message: /Authorization: Bearer/ },
  { title: 'a routing change with a wrong token', on: 'admin', method: 'PUT', path: `/admin/models/${MODEL}/routing`, headers: { ...JSON_CT, authorization: 'Bearer guessed-token' }, body: json({ stable: { version: 'v-inverted' } }), status: 401, message: /Authorization: Bearer/ },
  { title: 'a canary weight over 100', on: 'admin', method: 'PUT', path: `/admin/models/${MODEL}/routing`, headers: ADMIN_JSON, body: json({ stable: { version: 'v-stable' }, candidate: { version: 'v-candidate', mode: 'canary', weight: 150 } }), status: 400, message: /body\.candidate\.weight: / },
  { title: 'a routing with an unknown candidate mode', on: 'admin', method: 'PUT', path: `/admin/models/${MODEL}/routing`, headers: ADMIN_JSON, body: json({ stable: { version: 'v-stable' }, candidate: { version: 'v-candidate', mode: 'blue-green', weight: 10 } }), status: 400, message: /body\.candidate\.mode: / },
  { title: 'a routing change with a stale generation', on: 'admin', method: 'PUT', path: `/admin/models/${MODEL}/routing`, headers: ADMIN_JSON, body: json({ stable: { version: 'v-inverted' }, expectedGeneration: 0 }), status: 409, message: /expectedGeneration 0 but routing is at 1; GET it and retry/ },
  { title: 'a model id that tries a path', on: 'admin', method: 'PUT', path: '/admin/models/..%2F..%2Fetc/routing', headers: ADMIN_JSON, body: json({ stable: { version: 'v-stable' } }), status: 400, message: /model ids use lowercase letters, digits and dashes/ },
  { title: 'a fault with an error rate of 2', on: 'admin', method: 'POST', path: '/admin/faults', headers: ADMIN_JSON, body: json({ model: MODEL, version: 'v-stable', errorRate: 2 }), status: 400, message: /body\.errorRate: / },
  { title: 'a review label without a reviewer', on: 'admin', method: 'POST', path: `/admin/models/${MODEL}/review/p:0/label`, headers: ADMIN_JSON, body: json({ label: '1' }), status: 400, message: /reviewer/ },
  { title: 'a review label for a prediction not in the queue', on: 'admin', method: 'POST', path: `/admin/models/${MODEL}/review/forged:0/label`, headers: ADMIN_JSON, body: json({ label: '1', reviewer: 'mallory@example.com' }), status: 404, message: /is not in the review queue of credit/ },
  { title: 'a monitoring threshold over 1', on: 'admin', method: 'PUT', path: `/admin/models/${MODEL}/monitoring`, headers: ADMIN_JSON, body: json({ keepColumns: [], reviewConfidenceBelow: 2 }), status: 400, message: /body\.reviewConfidenceBelow: / },
  { title: 'a prediction page of 0 rows', on: 'admin', method: 'GET', path: `/admin/models/${MODEL}/predictions?limit=0`, headers: AUTH, status: 400, message: /query\.limit: / },
  { title: 'a metrics window of -5 ms', on: 'admin', method: 'GET', path: `/admin/models/${MODEL}/metrics?windowMs=-5`, headers: AUTH, status: 400, message: /windowMs must be a positive number of milliseconds/ },
];

describe('hostile requests to the gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ faultInjection: true });
    await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' } }); // generation 1
    expect((await predict(gw.url, ROWS.slice(0, 5))).status).toBe(200);
  });
  afterAll(async () => gw?.close());

  const admin = (path: string) => fetch(`${gw.adminUrl}${path}`, { headers: AUTH }).then((r) => r.json());
  /** Everything a request could change: routing, faults, the prediction log, review queue and metric windows. */
  async function fingerprint() {
    const metrics = (await admin(`/admin/models/${MODEL}/metrics?windowMs=600000`)) as Record<string, unknown>;
    return {
      routing: await admin(`/admin/models/${MODEL}/routing`),
      predictions: ((await admin(`/admin/models/${MODEL}/predictions`)) as { rows?: unknown[] }).rows?.length,
      feedback: await admin(`/admin/models/${MODEL}/feedback`),
      review: await admin(`/admin/models/${MODEL}/review`),
      faults: await fetch(`${gw.adminUrl}/admin/faults?model=none`, { method: 'DELETE', headers: AUTH }).then((r) => r.json()),
      metrics: JSON.stringify(metrics, (k, v) => (k === 'at' || k === 'windowEnd' || k === 'windowStart' ? undefined : v)),
    };
  }

  it.each(CASES.map((c) => [c.title, c] as const))('refuses %s with a clear message and changes nothing', async (_t, c) => {
    const before = await fingerprint();
    const res = await fetch(`${c.on === 'public' ? gw.url : gw.adminUrl}${c.path}`, { method: c.method, headers: c.headers, body: c.body });
    const body = ErrorBodySchema.strict().parse(await res.json());
    expect({ status: res.status, said: [body.message, ...(body.problems ?? [])].join(' | ') }).toEqual({ status: c.status, said: expect.stringMatching(c.message) });
    expect(body.error).toBe(codeForStatus(c.status));
    expect(await fingerprint()).toEqual(before);
  });

  it('still answers good requests on both listeners after all of them', async () => {
    const r = await predict(gw.url, ROWS.slice(0, 3));
    expect({ status: r.status, version: r.version, n: r.body.predictions?.length }).toEqual({ status: 200, version: 'v-stable', n: 3 });
    expect((await gw.admin.getRouting(MODEL))?.generation).toBe(1);
  });
});
