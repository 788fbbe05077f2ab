import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createReviewClient } from '../../../src/adapters/gateway/review-client';
import { ADMIN_TOKEN, creditSpec } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { openConsoleEnv, type ConsoleEnv } from './console-env';
import { expectOutcome } from '../../helpers/outcome';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SHOTS = path.join(__dirname, '../../../test-results');
const ALICE = 'alice@example.com';
const MALLORY = 'mallory@example.com';
const BOB = 'bob@example.com';
const XSS = '<script>window.__pwned = 1</script> looks fine';
// Candidates trained for different epochs score differently enough to trip the default prediction-PSI
// limit; here the console is the point, so latency and errors judge the canary.
const SLO = { minSamples: 30, maxP99LatencyMs: 500, maxPredictionPsi: 50, inconclusiveAfter: '8s', onInconclusive: 'rollback' } as const;
const DEADLINE = 90_000;
// The monitor judges a period a second so its charts fill; it neither retrains nor rolls back here
// (that would change the releases the other tests count), and nearly every prediction is queued for review.
const MONITOR = { period: '1s', retrainOnDrift: false, onSloBreach: 'alert' } as const;

describe('the mlgate console in headless Chromium, on a real release', () => {
  let env: ConsoleEnv;
  let browser: Browser;
  const model = unique('credit');
  let firstChampion: string;
  /** The spec a release started from the console's model page uses. */
  let consoleSpec: ReturnType<typeof creditSpec> | null = null;
  let epochs = 60; // full-batch training ignores the seed: vary epochs so each release trains a new artifact
  const spec = (stepBake: string) => creditSpec(model, { trainer: { kind: 'builtin', params: { epochs: (epochs += 10), learningRate: 0.2 }, seed: 7 }, slo: SLO, strategy: { kind: 'canary', steps: [50, 100], stepBake, postPromotionWatch: '1500ms' }, monitor: MONITOR, reviewConfidenceBelow: 0.99 });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    env = await openConsoleEnv({ spec: (m) => (m === model ? consoleSpec : null) });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    // A first release becomes the champion, so the console's release later has something to roll back to.
    const id = await env.start(spec('1500ms'));
    await env.waitStatus(id, (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(env.client.workflow.getHandle(id), 'deploy', ALICE);
    const traffic = env.flowingTraffic(model);
    await env.waitStatus(id, (s) => s.stage === 'awaiting_promote_approval', DEADLINE);
    await env.decide(env.client.workflow.getHandle(id), 'promote', BOB);
    const done = await env.waitStatus(id, (s) => s.outcome !== undefined, DEADLINE);
    await traffic.stop();
    expectOutcome(done, 'promoted');
    firstChampion = done.artifactId!;
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  async function signIn(user: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${env.url}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.fill('#token', await env.token(user));
    await Promise.all([page.waitForURL(`${env.url}/`), page.click('#token-sign-in button[type=submit]')]);
    expect(await page.locator('#viewer').textContent()).toBe(user);
    return { context, page };
  }

  /** How many points the candidate's live latency series has on the page now (the CSP forbids string evaluation, so through a locator). */
  const candidatePoints = (page: Page) => page.locator('#live-traffic svg[aria-label="live p99 latency (ms)"] polyline.series[data-series^="candidate"]')
    .evaluateAll((els) => els.reduce((n, el) => n + (el.getAttribute('points') ?? '').trim().split(/\s+/).filter(Boolean).length, 0));

  it('signs in with an API token; a wrong token, a forged cookie and no session get nothing', async () => {
    const anon = await browser.newContext();
    const p = await anon.newPage();
    await p.goto(`${env.url}/models/${model}`);
    expect(new URL(p.url()).pathname).toBe('/sign-in');
    await p.fill('#token', 'mlg_0123456789abcdef_not-a-real-token-not-a-real-token-0123456');
    await p.click('#token-sign-in button[type=submit]');
    expect(await p.locator('#sign-in-error').textContent()).toContain('body.token: the API token is unknown or revoked');
    await anon.addCookies([{ name: 'mlgate_session', value: Buffer.from(JSON.stringify({ user: ALICE, exp: Date.now() + 3_600_000 })).toString('base64url'), url: env.url }]);
    await p.goto(`${env.url}/`);
    expect(new URL(p.url()).pathname).toBe('/sign-in');
    await anon.close();

    const { context, page } = await signIn(ALICE);
    const cookie = (await context.cookies()).find((c) => c.name === 'mlgate_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000);
    await page.waitForSelector(`#releases a[href="/releases/release-${model}-1"]`);
    await page.screenshot({ path: path.join(SHOTS, 'console-releases.png'), fullPage: true });
    await context.close();
  });

  it('shows a release live through its canary, approves both gates from the release page, and the release promotes; a <script> comment stays text', async () => {
    // Bob (an approver) starts the release from the model page; Alice decides, as Bob may not decide on his own release.
    consoleSpec = spec('4s');
    const bob = await signIn(BOB);
    await bob.page.goto(`${env.url}/models/${model}`);
    expect(await bob.page.locator('.may-start').textContent()).toContain('You may start a release');
    await bob.page.fill('#detail', 'retrain on fresh data');
    await Promise.all([bob.page.waitForURL(/done=started/), bob.page.click('#start-release')]);
    const id = decodeURIComponent(new URL(bob.page.url()).pathname.split('/').pop()!);
    expect(id).toBe(`release-${model}-2`);
    expect((await env.status(id)).requester).toBe(BOB);
    await bob.context.close();

    const { context, page } = await signIn(ALICE);
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await env.waitStatus(id, (s) => s.stage === 'awaiting_deploy_approval');
    await page.goto(`${env.url}/releases/${id}`);
    expect(await page.locator('#timeline tbody tr').count()).toBeGreaterThan(3);
    expect(await page.locator('#offline tbody tr').count()).toBeGreaterThan(0);
    const deploy = page.locator('.gate[data-gate="deploy"]');
    expect(await deploy.locator('.may-decide').textContent()).toContain('You may decide');
    await deploy.locator('textarea').fill(XSS);
    await Promise.all([page.waitForURL(/done=approved/), deploy.locator('button[value=approve]').click()]);

    const traffic = env.flowingTraffic(model);
    try {
      // Live: the stage and the chart change on the open page, without a reload.
      await page.locator('#stage', { hasText: /^rollout$/ }).waitFor({ timeout: DEADLINE });
      await waitFor(async () => (await candidatePoints(page)) > 0);
      const before = await candidatePoints(page);
      await waitFor(async () => (await candidatePoints(page)) > before);
      expect(Number(await page.locator('body').getAttribute('data-live-updates'))).toBeGreaterThan(0);

      await page.waitForSelector('.gate[data-gate="promote"] button[value=approve]', { timeout: DEADLINE });
      await page.screenshot({ path: path.join(SHOTS, 'console-release.png'), fullPage: true });
      await page.locator('.gate[data-gate="promote"] textarea').fill('canary is clean');
      await Promise.all([page.waitForURL(/done=approved/), page.locator('.gate[data-gate="promote"] button[value=approve]').click()]);
      const done = await env.waitStatus(id, (s) => s.outcome !== undefined, DEADLINE);
      expectOutcome(done, 'promoted');
      expect(done.gates.map((g) => g.decisions.map((d) => ({ approver: d.approver, channel: d.channel, comment: d.comment })))).toEqual([
        [{ approver: ALICE, channel: 'console', comment: XSS }],
        [{ approver: ALICE, channel: 'console', comment: 'canary is clean' }],
      ]);
    } finally {
      await traffic.stop();
    }
    await page.reload();
    expect(await page.locator('.gate[data-gate="deploy"] q.comment').textContent()).toBe(XSS);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('.gate[data-gate="deploy"] script').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a person who may not act why, without the buttons, and refuses their posts', async () => {
    const { context, page } = await signIn(MALLORY);
    await page.goto(`${env.url}/models/${model}`);
    expect(await page.locator('.may-rollback').textContent()).toContain(`You may not roll back: only the owner (owner@example.com) and the approvers (alice@example.com, bob@example.com) may roll back; you are ${MALLORY}`);
    expect(await page.locator('#rollback').count()).toBe(0);
    expect(await page.locator('.may-start').textContent()).toContain('You may not start a release: only the owner (owner@example.com)');
    expect(await page.locator('#start-release').count()).toBe(0);
    // With her session but without the form's CSRF token (a cross-site form post): refused, nothing changes.
    const cookieHeader = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const noCsrf = await fetch(`${env.url}/models/${model}/rollback`, { method: 'POST', headers: { cookie: cookieHeader, 'content-type': 'application/x-www-form-urlencoded' }, body: 'reason=evil', redirect: 'manual' });
    expect(noCsrf.status).toBe(403);
    // Without any session: 401.
    const anon = await fetch(`${env.url}/models/${model}/rollback`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'reason=evil&_csrf=x', redirect: 'manual' });
    expect(anon.status).toBe(401);
    // With the token, through the page's own form fields: the rule still says no.
    const csrf = await page.locator('header form input[name=_csrf]').inputValue();
    const forbidden = await page.request.post(`${env.url}/models/${model}/rollback`, { form: { _csrf: csrf, reason: 'evil' }, maxRedirects: 0 });
    expect(forbidden.status()).toBe(403);
    expect(await forbidden.text()).toContain('You may not roll back');
    // A bad query names the field.
    await page.goto(`${env.url}/?stage=bogus`);
    expect(await page.locator('#message').textContent()).toContain('query.stage');
    expect(await env.client.workflow.count(`WorkflowType = "rollbackWorkflow" AND mlgateModel = "${model}"`)).toEqual({ count: 0, groups: [] });
    const start = await page.request.post(`${env.url}/models/${model}/releases`, { form: { _csrf: csrf }, maxRedirects: 0 });
    expect(start.status()).toBe(403);
    expect(await env.client.workflow.count(`WorkflowType = "releaseWorkflow" AND mlgateModel = "${model}"`)).toEqual({ count: 2, groups: [] });
    await context.close();
  });

  it('rolls back from the model page, and the previous version serves again', async () => {
    const { context, page } = await signIn(ALICE);
    await page.goto(`${env.url}/models/${model}`);
    const serving = await page.locator('#stable-version').textContent();
    expect(serving).not.toBe(firstChampion);
    expect(await page.locator('.may-rollback').textContent()).toContain('You may roll back');
    await page.fill('#reason', 'complaints about scores');
    await Promise.all([page.waitForURL(/done=rollback/), page.click('#rollback')]);
    await waitFor(async () => (await env.routing(model))?.stable?.version === firstChampion);
    await page.reload();
    expect(await page.locator('#stable-version').textContent()).toBe(firstChampion);
    expect(await page.locator('#production-timeline').textContent()).toContain('complaints about scores');
    await page.screenshot({ path: path.join(SHOTS, 'console-model.png'), fullPage: true });
    await context.close();
  });

  it('shows the monitor\'s drift and SLO charts, and an approver labels a queued prediction from the model page', async () => {
    const review = createReviewClient({ adminUrl: env.gatewayAdminUrl, token: ADMIN_TOKEN });
    const traffic = env.flowingTraffic(model);
    try {
      await waitFor(async () => (await review.list(model, { status: 'pending', limit: 5 })).length > 0);
    } finally {
      await traffic.stop();
    }
    const { context, page } = await signIn(ALICE);
    await page.goto(`${env.url}/models/${model}`);
    await waitFor(async () => (await page.reload(), (await page.locator('#monitor-charts svg').count()) === 3));
    expect(await page.locator('#monitor-charts svg[aria-label="drift per period (PSI)"]').count()).toBe(1);
    expect(await page.locator('.may-review').textContent()).toContain('You may label predictions');
    const first = page.locator('#review-queue form.review-label').first();
    const predictionId = await first.locator('input[name=predictionId]').inputValue();
    await first.locator('input[name=label]').fill('1');
    await Promise.all([page.waitForURL(/done=labelled/), first.locator('button[type=submit]').click()]);
    const labelled = await review.list(model, { status: 'labelled', limit: 1000 });
    expect(labelled.find((i) => i.predictionId === predictionId)).toMatchObject({ observed: '1', reviewer: ALICE });
    await page.screenshot({ path: path.join(SHOTS, 'console-model-monitor.png'), fullPage: true });
    await context.close();
  });
});

async function waitFor(pred: () => Promise<boolean>, timeoutMs = DEADLINE): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
