import type { WorkflowHandle } from '@temporalio/client';
import { chromium, type Browser } from 'playwright-core';
import type { Routing } from '../../../src/domain/routing';
import { ADMIN_TOKEN, creditSpec } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { linkFrom, openGateEnv, postForm, type GateEnv } from './gate-env';
import { expectOutcome } from '../../helpers/outcome';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
// Candidates trained for different epochs score differently enough to trip the default
// prediction-PSI limit (0.25); the gate is the point here, so only latency and errors judge the canary.
const SLO = { minSamples: 30, maxP99LatencyMs: 500, maxPredictionPsi: 50, inconclusiveAfter: '4s', onInconclusive: 'rollback' } as const;

describe('the promote gate after a real canary: evidence page in headless Chromium, approve and reject', () => {
  let env: GateEnv;
  let browser: Browser;
  const model = unique('credit');
  const started: WorkflowHandle[] = [];
  const trafficStops: AbortController[] = [];
  let epochs = 60; // full-batch training ignores the seed: vary epochs so each release trains a new artifact

  beforeAll(async () => {
    env = await openGateEnv();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    // A first release becomes the champion, so later candidates are compared with it.
    const first = await toPromoteGate();
    await env.decide(first.handle, 'promote', BOB);
    expect((await first.finish()).outcome).toBe('promoted');
  });
  afterAll(async () => {
    trafficStops.forEach((c) => c.abort());
    await env?.stopAll(started);
    await browser?.close();
    await env?.close();
  });

  const aliases = () => env.opened.deps.pipeline.registry.getAliases(model);
  const routing = async () => (await (await fetch(`${env.gatewayAdminUrl}/admin/models/${model}/routing`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as Routing;

  /** A new candidate (new artifact) through the deploy gate and its canary, with traffic flowing until `finish`. */
  async function toPromoteGate() {
    const handle = await env.startRelease(creditSpec(model, { trainer: { kind: 'builtin', params: { epochs: (epochs += 10), learningRate: 0.2 }, seed: 7 }, slo: SLO }));
    started.push(handle);
    const gate = await env.waitStatus(handle, (s) => s.stage === 'awaiting_deploy_approval' || s.stage === 'done');
    expect({ stage: gate.stage, outcome: gate.outcome, reasons: gate.reasons }).toEqual({ stage: 'awaiting_deploy_approval', outcome: undefined, reasons: [] });
    await env.decide(handle, 'deploy', ALICE);
    const stop = new AbortController();
    trafficStops.push(stop);
    const traffic = env.traffic(model, 60_000, 80, { signal: stop.signal });
    const s = await env.waitStatus(handle, (x) => x.stage === 'awaiting_promote_approval' || x.stage === 'done', 60_000);
    expect({ stage: s.stage, reasons: s.reasons }).toEqual({ stage: 'awaiting_promote_approval', reasons: [] });
    const finish = async () => {
      const result = await handle.result();
      stop.abort();
      await traffic;
      return result;
    };
    return { handle, finish };
  }

  it('shows the candidate-vs-champion numbers and the canary latency and error charts in Chromium, and Approve promotes the release', async () => {
    const championBefore = (await aliases()).champion;
    const { handle, finish } = await toPromoteGate();
    const link = linkFrom(await env.mailFor(handle.workflowId, BOB, { gate: 'promote' }));
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    await page.goto(link);

    expect(await page.locator('h1').textContent()).toBe(`${handle.workflowId}: promote gate`);
    const auc = page.locator('#offline tbody tr', { has: page.locator('th', { hasText: /^auc$/ }) }).locator('td');
    const [candidate, champion, delta] = await auc.allTextContents();
    expect(Number(candidate)).toBeGreaterThan(0.6);
    expect(Number(champion)).toBeGreaterThan(0.6);
    expect(Number(delta)).toBeCloseTo(Number(candidate) - Number(champion), 3);
    expect(await page.locator('#canary-steps tbody tr td:first-child').allTextContents()).toEqual(['50%', '100%']);
    expect(await page.locator('#canary-steps tbody tr td:nth-child(3)').allTextContents()).toEqual(['pass', 'pass']);
    for (const title of ['p99 latency (ms)', 'error rate']) {
      const chart = page.locator(`svg[aria-label="${title}"]`);
      expect(await chart.isVisible()).toBe(true);
      expect((await chart.boundingBox())?.width).toBeGreaterThan(100);
      expect(await chart.locator('polyline.series[data-series^="candidate"]').count()).toBe(1);
    }
    expect((await env.status(handle)).gates[1]).toMatchObject({ status: 'open', decisions: [] });

    await page.fill('#comment', 'canary is clean');
    await Promise.all([page.waitForURL(/\/approve\//), page.click('#approve')]);
    await page.waitForSelector('#message');
    expect(await page.locator('#message').textContent()).toContain(`${BOB} approved the promote gate of ${handle.workflowId}`);
    await page.close();
    expect(consoleErrors).toEqual([]);

    const result = await finish();
    expectOutcome(result, 'promoted');
    expect(await aliases()).toMatchObject({ champion: result.artifactId, previous: championBefore, candidate: null });
    expect((await env.status(handle)).gates[1].decisions).toEqual([expect.objectContaining({ approver: BOB, channel: 'email', comment: 'canary is clean' })]);
  });

  it('rolls routing and aliases back to the champion when the promote gate is rejected from the emailed link', async () => {
    const championBefore = (await aliases()).champion;
    expect(championBefore).not.toBeNull();
    const { handle, finish } = await toPromoteGate();
    expect((await aliases()).candidate).toBe((await env.status(handle)).artifactId);
    const r = await postForm(linkFrom(await env.mailFor(handle.workflowId, ALICE, { gate: 'promote' })), { action: 'reject', comment: 'latency looks worse' });
    expect(r.status).toBe(200);
    const result = await finish();
    expectOutcome(result, 'rejected_at_gate');
    expect(await aliases()).toMatchObject({ champion: championBefore, candidate: null });
    const rt = await routing();
    expect(rt.stable?.version).toBe(championBefore);
    expect(rt.candidate).toBeUndefined();
    expect((await env.status(handle)).rollback?.reason).toBe(`rejected by ${ALICE}: latency looks worse`);
  });
});
