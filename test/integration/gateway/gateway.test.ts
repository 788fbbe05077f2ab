import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { predictRow } from '../../../src/domain/model/bundle';
import { WindowSummarySchema } from '../../../src/domain/analysis/window-summary';
import { RoutingConflictError } from '../../../src/ports/deployment-target';
import { BUNDLES, MODEL, ROWS, TOKEN, predict, startTestGateway, type TestGateway } from './fixtures';

let gw: TestGateway;
beforeEach(async () => {
  gw = await startTestGateway({ faultInjection: true });
});
afterEach(async () => {
  await gw.close();
});

async function until(pred: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('gateway predict', () => {
  it('returns the predictions of the stable version with its version, confidence and prediction ids', async () => {
    await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' } });
    const r = await predict(gw.url, ROWS.slice(0, 3));
    expect(r.status).toBe(200);
    expect(r.version).toBe('v-stable');
    expect(r.body.version).toBe('v-stable');
    expect(r.body.predictions).toEqual(ROWS.slice(0, 3).map((row) => predictRow(BUNDLES['v-stable'], row)));
    expect(r.body.predictions?.every((p) => p.confidence >= 0.5 && p.confidence <= 1)).toBe(true);
    expect(r.body.predictionIds).toHaveLength(3);
  });

  it('answers 400 naming the field for a bad body and 404 for a model without routing', async () => {
    await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' } });
    const missing = await predict(gw.url, undefined as never);
    expect(missing.status).toBe(400);
    expect(missing.body.problems).toEqual([expect.stringMatching(/^body\.rows: /)]);
    const notObject = await predict(gw.url, [{ income: 1 }, 'x' as never]);
    expect(notObject.body.problems).toEqual([expect.stringMatching(/^body\.rows\.1: each row is an object/)]);
    const tooMany = await predict(gw.url, Array.from({ length: 1001 }, () => ({ income: 1 })));
    expect(tooMany.body.problems).toEqual([expect.stringMatching(/^body\.rows: at most 1000 rows/)]);
    const res = await fetch(`${gw.url}/v1/models/unknown/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows: [{}] }) });
    expect(res.status).toBe(404);
  });

  it('splits canary traffic close to the weight and keeps each sticky key on one version', async () => {
    await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' }, candidate: { version: 'v-candidate', mode: 'canary', weight: 30 }, stickyHeader: 'x-user' });
    const versions = await Promise.all(Array.from({ length: 400 }, () => predict(gw.url, [ROWS[0]]).then((r) => r.version)));
    const share = versions.filter((v) => v === 'v-candidate').length / versions.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
    for (const user of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']) {
      const seen = new Set(await Promise.all(Array.from({ length: 15 }, () => predict(gw.url, [ROWS[1]], { 'x-user': user }).then((r) => r.version))));
      expect(seen.size).toBe(1);
    }
  });

  it('always answers with stable in shadow mode, even when the candidate fails, and records agreement', async () => {
    await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' }, candidate: { version: 'v-candidate', mode: 'shadow', weight: 0, sampleRate: 1 } });
    await gw.admin.injectFault({ model: MODEL, version: 'v-candidate', errorRate: 1 });
    for (let i = 0; i < 20; i++) {
      const r = await predict(gw.url, ROWS.slice(i, i + 2));
      expect([r.status, r.version]).toEqual([200, 'v-stable']);
      expect(r.body.predictions).toEqual(ROWS.slice(i, i + 2).map((row) => predictRow(BUNDLES['v-stable'], row)));
    }
    const candidateOf = async () => {
      const w = await gw.admin.window(MODEL, { windowMs: 60_000 });
      return w.status === 'ok' ? w.summary.versions.find((v) => v.version === 'v-candidate') : undefined;
    };
    await until(async () => (await candidateOf())?.errors === 20, 'shadow errors to be recorded');
    await gw.admin.clearFaults(MODEL);
    for (let i = 0; i < 20; i++) await predict(gw.url, ROWS.slice(i, i + 2));
    await until(async () => (await candidateOf())?.shadow?.compared === 40, 'shadow comparisons to be recorded');
    const shadow = (await candidateOf())?.shadow;
    const sent = Array.from({ length: 20 }, (_, i) => ROWS.slice(i, i + 2)).flat();
    const expectedAgreed = sent.filter((row) => predictRow(BUNDLES['v-stable'], row).label === predictRow(BUNDLES['v-candidate'], row).label).length;
    expect(expectedAgreed).toBeLessThan(40); // the fixture candidate really disagrees on some rows
    expect(shadow).toEqual({ compared: 40, agreed: expectedAgreed });
  });
});

describe('gateway admin', () => {
  it('rejects admin calls without the right bearer token and listens on 127.0.0.1 only', async () => {
    expect(new URL(gw.adminUrl).hostname).toBe('127.0.0.1');
    const none = await fetch(`${gw.adminUrl}/admin/models/${MODEL}/routing`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${gw.adminUrl}/admin/models/${MODEL}/routing`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const onPublic = await fetch(`${gw.url}/admin/models/${MODEL}/routing`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(onPublic.status).toBe(404);
  });

  it('keeps the same routing after a restart on the same state folder', async () => {
    const set = await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' }, candidate: { version: 'v-candidate', mode: 'canary', weight: 25 }, stickyHeader: 'x-user' });
    await gw.restart();
    expect(await gw.admin.getRouting(MODEL)).toEqual(set);
    const onDisk = JSON.parse(await readFile(join(gw.stateDir, 'routing.json'), 'utf8'));
    expect(onDisk.models[MODEL]).toEqual(set);
    const r = await predict(gw.url, [ROWS[0]], { 'x-user': 'alice' });
    expect(['v-stable', 'v-candidate']).toContain(r.version);
  });

  it('treats a repeated PUT as a no-op and refuses a stale expectedGeneration', async () => {
    const first = await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' } }, { expectedGeneration: 0 });
    const again = await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' } }, { expectedGeneration: 0 });
    expect(again).toEqual(first);
    await gw.admin.setRouting(MODEL, { stable: { version: 'v-candidate' } });
    await expect(gw.admin.setRouting(MODEL, { stable: { version: 'v-inverted' } }, { expectedGeneration: 1 })).rejects.toBeInstanceOf(RoutingConflictError);
    expect((await gw.admin.getRouting(MODEL))?.stable?.version).toBe('v-candidate');
  });

  it('rejects an invalid routing with the field path and changes nothing', async () => {
    await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' } });
    const res = await fetch(`${gw.adminUrl}/admin/models/${MODEL}/routing`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ stable: { version: 'v-x' }, candidate: { version: 'v-y', mode: 'blue-green' } }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { problems: string[] }).problems[0]).toMatch(/^body\.candidate\.mode: /);
    expect((await gw.admin.getRouting(MODEL))?.stable?.version).toBe('v-stable');
  });

  it('returns per-version metric windows in the shape the analysis reads', async () => {
    await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' } });
    for (let i = 0; i < 10; i++) await predict(gw.url, ROWS.slice(i, i + 3));
    const res = await fetch(`${gw.adminUrl}/admin/models/${MODEL}/metrics?windowMs=60000`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const summary = WindowSummarySchema.parse(await res.json());
    expect(summary.versions).toHaveLength(1);
    expect(summary.versions[0]).toMatchObject({ version: 'v-stable', requests: 10, errors: 0 });
    expect(summary.versions[0].scoreHistogram.reduce((a, b) => a + b, 0)).toBe(30);
    expect(summary.versions[0].latencyMs.p99).toBeGreaterThan(0);
  });

  it('serves Prometheus text on /metrics with per-version request counters', async () => {
    await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' } });
    await predict(gw.url, [ROWS[0]]);
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('# TYPE mlgate_gateway_requests_total counter');
    expect(text).toContain(`mlgate_gateway_requests_total{model="${MODEL}",version="v-stable",outcome="ok"} 1`);
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${gw.url}/healthz`);
    expect(await res.json()).toEqual({ ok: true });
  });
});

describe('gateway fault injection', () => {
  it('is off by default: the faults endpoint answers 403 and nothing is injected', async () => {
    const plain = await startTestGateway();
    try {
      await plain.admin.setRouting(MODEL, { stable: { version: 'v-stable' } });
      const res = await fetch(`${plain.adminUrl}/admin/faults`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: MODEL, version: 'v-stable', errorRate: 1 }) });
      expect(res.status).toBe(403);
      expect((await predict(plain.url, [ROWS[0]])).status).toBe(200);
    } finally {
      await plain.close();
    }
  });

  it('fails the faulted version with 500 when enabled and recovers once faults are cleared', async () => {
    await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' } });
    await gw.admin.injectFault({ model: MODEL, version: 'v-stable', errorRate: 1 });
    expect((await predict(gw.url, [ROWS[0]])).status).toBe(500);
    await gw.admin.clearFaults();
    expect((await predict(gw.url, [ROWS[0]])).status).toBe(200);
  });
});
