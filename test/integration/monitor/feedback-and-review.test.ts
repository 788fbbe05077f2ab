/**
 * The gateway side of monitoring on real HTTP and a real SQLite prediction log: feedback by
 * prediction id, the review queue (HTTP and the real `mlgate review` CLI), and PII-free logging.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSyntheticCredit } from '../../../src/domain/data/synthetic-credit';
import type { ModelBundle } from '../../../src/domain/model/bundle';
import { createGateway, type Gateway } from '../../../src/gateway';
import { freePort } from '../../../src/temporal/free-port';

const TOKEN = 'monitor-test-token-0123456789abcdef';
const BIN = path.join(__dirname, '../../../bin/mlgate.js');
// Async: the gateway under test runs in this process, so a blocking spawn would starve it.
const run = promisify(execFile);
const MODEL = 'credit-fb';
// A one-feature logistic model whose confidence depends on income: rows near the mean are unsure.
const bundle: ModelBundle = {
  format: 'mlgate-linear/v1', task: 'binary-classification', algorithm: 'logistic-regression', threshold: 0.5,
  features: [{ name: 'income', kind: 'numeric', mean: 50_000, std: 20_000 }], weights: [-2], bias: 0,
};

describe('gateway prediction log, feedback endpoint and review queue', () => {
  let dir: string;
  let gateway: Gateway;
  let url: string;
  let adminUrl: string;
  const admin = (p: string, init: RequestInit = {}) =>
    fetch(`${adminUrl}${p}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const post = (p: string, body: unknown) => fetch(`${url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-monitor-gw-'));
    // The restart test reuses these ports: below the ephemeral range, no outgoing connection takes them meanwhile.
    gateway = createGateway({ adminToken: TOKEN, stateDir: dir, loadBundle: async () => bundle, port: await freePort(), adminPort: await freePort() });
    ({ url, adminUrl } = await gateway.start());
    await admin(`/admin/models/${MODEL}/routing`, { method: 'PUT', body: JSON.stringify({ stable: { version: 'art-00000000000000aa' } }) });
    const cfg = await admin(`/admin/models/${MODEL}/monitoring`, { method: 'PUT', body: JSON.stringify({ keepColumns: ['income', 'region'], reviewConfidenceBelow: 0.7 }) });
    expect(cfg.status).toBe(200);
  });
  afterAll(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function predict(rows: Record<string, unknown>[]): Promise<{ ids: string[]; labels: string[] }> {
    const r = await post(`/v1/models/${MODEL}/predict`, { rows });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { predictionIds: string[]; predictions: Array<{ label: string }> };
    return { ids: body.predictionIds, labels: body.predictions.map((p) => p.label) };
  }

  it('rejects a feedback body naming the bad field, and an unknown prediction id, storing nothing', async () => {
    const { ids } = await predict([{ income: 90_000 }]);
    const bad = await post(`/v1/models/${MODEL}/feedback`, { feedback: [{ predictionId: ids[0] }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: string[] }).problems.join('\n')).toMatch(/body\.feedback\.0: give an observed outcome, a kpi value, or both/);
    const unknown = await post(`/v1/models/${MODEL}/feedback`, { feedback: [{ predictionId: ids[0], outcome: '1' }, { predictionId: 'nope:0', outcome: '1' }] });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { problems: string[] }).problems[0]).toMatch(/body\.feedback\.1\.predictionId: "nope:0" is not a logged prediction/);
    const tallies = (await (await admin(`/admin/models/${MODEL}/feedback`)).json()) as { versions: unknown[] };
    expect(tallies.versions).toEqual([]);
  });

  it('joins late labels and KPI values with the logged predictions into per-version tallies', async () => {
    const { ids, labels } = await predict([{ income: 90_000 }, { income: 10_000 }, { income: 95_000 }]);
    const wrong = (l: string) => (l === '1' ? '0' : '1');
    const r = await post(`/v1/models/${MODEL}/feedback`, { feedback: [{ predictionId: ids[0], outcome: labels[0], kpi: 12.5 }, { predictionId: ids[1], outcome: Number(wrong(labels[1])) }, { predictionId: ids[2], kpi: 7.5 }] });
    expect(r.status).toBe(200);
    const tallies = (await (await admin(`/admin/models/${MODEL}/feedback`)).json()) as { versions: unknown[] };
    expect(tallies.versions).toEqual([{ version: 'art-00000000000000aa', labelled: 2, correct: 1, kpiCount: 2, kpiSum: 20, kpiMin: 7.5, kpiMax: 12.5 }]);
  });

  it('counts only feedback on predictions made since a given time when asked (an A/B experiment\'s own), and names a bad since', async () => {
    const before = Date.now();
    const { ids } = await predict([{ income: 40_000 }]);
    expect((await post(`/v1/models/${MODEL}/feedback`, { feedback: [{ predictionId: ids[0], kpi: 1 }] })).status).toBe(200);
    const since = (await (await admin(`/admin/models/${MODEL}/feedback?since=${before}`)).json()) as { versions: unknown[] };
    expect(since.versions).toEqual([{ version: 'art-00000000000000aa', labelled: 0, correct: 0, kpiCount: 1, kpiSum: 1, kpiMin: 1, kpiMax: 1 }]);
    const later = (await (await admin(`/admin/models/${MODEL}/feedback?since=${Date.now() + 60_000}`)).json()) as { versions: unknown[] };
    expect(later.versions).toEqual([]);
    const bad = await admin(`/admin/models/${MODEL}/feedback?since=-5`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/since/);
  });

  it('queues only low-confidence predictions, with kept feature inputs and no PII', async () => {
    const { ids } = await predict([{ income: 51_000, region: 'north', email: 'ana@example.com', name: 'Ana' }, { income: 200_000, region: 'south', email: 'x@y.z' }]);
    const r = await admin(`/admin/models/${MODEL}/review?status=pending&limit=100`);
    const items = ((await r.json()) as { items: Array<{ predictionId: string; inputs: Record<string, unknown>; confidence: number }> }).items;
    const mine = items.filter((i) => ids.includes(i.predictionId));
    expect(mine.map((i) => i.predictionId)).toEqual([ids[0]]);
    expect(mine[0].inputs).toEqual({ income: 51_000, region: 'north' });
    expect(mine[0].confidence).toBeLessThan(0.7);
  });

  it('refuses review API calls without the admin token and bad list queries by field', async () => {
    expect((await fetch(`${adminUrl}/admin/models/${MODEL}/review`)).status).toBe(401);
    const bad = await admin(`/admin/models/${MODEL}/review?status=done`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: string[] }).problems[0]).toMatch(/^query\.status/);
  });

  it('lists and labels queued predictions through the mlgate review CLI, and the label becomes feedback', async () => {
    const { ids } = await predict([{ income: 49_000, region: 'east' }]);
    const env = { PATH: process.env.PATH ?? '', MLGATE_DATA_DIR: dir, MLGATE_GATEWAY_ADMIN_URL: adminUrl, MLGATE_ADMIN_TOKEN: TOKEN, MLGATE_APPROVAL_SECRET: 'x'.repeat(40), MLGATE_PII_SALT: 'y'.repeat(20) };
    const list = await run(process.execPath, [BIN, 'review', 'list', MODEL, '--json'], { env, encoding: 'utf8', timeout: 30_000 });
    expect(list.stderr).toBe('');
    expect((JSON.parse(list.stdout) as Array<{ predictionId: string }>).map((i) => i.predictionId)).toContain(ids[0]);
    const before = ((await (await admin(`/admin/models/${MODEL}/feedback`)).json()) as { versions: Array<{ labelled: number }> }).versions[0].labelled;
    const label = await run(process.execPath, [BIN, 'review', 'label', MODEL, ids[0], '1', '--as', 'rita@example.com'], { env, encoding: 'utf8', timeout: 30_000 });
    expect(label.stdout).toMatch(new RegExp(`${ids[0]} labelled 1 by rita@example.com`));
    const after = ((await (await admin(`/admin/models/${MODEL}/feedback`)).json()) as { versions: Array<{ labelled: number }> }).versions[0].labelled;
    expect(after).toBe(before + 1);
    const labelled = ((await (await admin(`/admin/models/${MODEL}/review?status=labelled`)).json()) as { items: Array<{ predictionId: string; reviewer: string }> }).items;
    expect(labelled).toEqual(expect.arrayContaining([expect.objectContaining({ predictionId: ids[0], reviewer: 'rita@example.com' })]));
  });

  it('keeps the prediction log across a gateway restart, so late feedback still finds its prediction', async () => {
    const rows = generateSyntheticCredit({ rows: 5, seed: 3 }) as unknown as Record<string, unknown>[];
    const { ids, labels } = await predict(rows);
    await gateway.stop();
    gateway = createGateway({ adminToken: TOKEN, stateDir: dir, loadBundle: async () => bundle, port: Number(new URL(url).port), adminPort: Number(new URL(adminUrl).port) });
    await gateway.start();
    const r = await post(`/v1/models/${MODEL}/feedback`, { feedback: ids.map((predictionId, i) => ({ predictionId, outcome: labels[i] })) });
    expect(await r.json()).toEqual({ accepted: 5 });
    const page = (await (await admin(`/admin/models/${MODEL}/predictions?afterSeq=0&limit=1000`)).json()) as { entries: Array<{ id: string; inputs: Record<string, unknown> }> };
    const logged = page.entries.filter((e) => ids.includes(e.id));
    expect(logged).toHaveLength(5);
    expect(logged.every((e) => !('name' in e.inputs) && !('email' in e.inputs) && 'income' in e.inputs)).toBe(true);
  });
});
