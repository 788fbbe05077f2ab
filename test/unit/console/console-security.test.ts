import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApprovalsStore } from '../../../src/adapters/approvals-store/sqlite/approvals-store';
import { createApprovalsServer, type ApprovalsServer } from '../../../src/approvals-server/approvals-server';
import type { ReleaseStatus } from '../../../src/domain/release-status';
import type { ApprovalsStore } from '../../../src/ports/approvals-store';
import type { ReviewItem } from '../../../src/domain/monitor/review-rules';
import type { ConsolePorts, MonitorSummary } from '../../../src/ports/console';
import type { DecideRequest } from '../../../src/ports/decisions';

const SECRET = 'console-test-secret-0123456789abcdef0123456789';
const XSS = '<script>alert(1)</script>';
const HOUR = 3_600_000;

function release(): ReleaseStatus {
  const gate = { gate: 'deploy' as const, status: 'open' as const, opening: 1, approvers: ['alice@example.com', 'bob@example.com'], required: 1, refused: [], escalated: false,
    decisions: [{ gate: 'deploy' as const, approver: 'bob@example.com', decision: 'reject' as const, comment: XSS, channel: 'api' as const, at: '2026-01-01T00:00:00.000Z' }] };
  return {
    releaseId: 'release-m-1', runId: 'run-1', model: 'm', riskClass: 'medium', stage: 'awaiting_deploy_approval', requester: 'carol@example.com', owner: 'owner@example.com',
    gates: [gate], evidence: { offline: { metrics: { auc: 0.8 }, delta: {}, slices: [] } }, reason: 'manual', reasonDetail: '', timeline: [{ stage: 'queued', at: '2026-01-01T00:00:00.000Z' }], reasons: [], notifications: [],
  } as ReleaseStatus;
}

/** A monitor status and review queue whose data-borne strings all carry `<script>`. */
function monitor(): MonitorSummary {
  const slo = { requests: 120, errorRate: 0.01, p99Ms: 80, breaches: [] };
  const period = (n: number, psi: number) => ({ period: n, at: `2026-01-01T0${n}:00:00.000Z`, samples: 100, driftVerdict: psi > 0.2 ? 'drift' : 'stable', drifted: psi > 0.2 ? [XSS] : [], maxFeaturePsi: psi, predictionPsi: psi / 2, slo });
  return {
    running: true, periods: 3, champion: 'art-a', alerts: 1, lastError: null, lastVerdict: 'drift drift; SLO checked; 100 samples',
    recent: [period(1, 0.05), period(2, 0.1), { ...period(3, 0.3), slo: { unavailable: XSS } }],
    alertList: [{ period: 3, at: '2026-01-01T03:00:00.000Z', drifted: [XSS], labelledRows: 7, releaseId: 'release-m-2', started: true }],
    guardEvents: [{ period: 2, at: '2026-01-01T02:00:00.000Z', champion: 'art-a', action: 'alert', note: XSS, breaches: ['p99 90ms > 50ms'] }],
  };
}

const queued = (predictionId: string): ReviewItem => ({ predictionId, version: 'art-a', at: '2026-01-01T03:00:00.000Z', predicted: '1', confidence: 0.51, inputs: { income: XSS }, status: 'pending', reviewer: null, observed: null });

/** A cookie jar good enough for one client: keeps the latest value of each Set-Cookie. */
function jar() {
  const cookies = new Map<string, string>();
  return {
    take(setCookie: string | string[] | undefined) {
      for (const c of ([] as string[]).concat(setCookie ?? [])) {
        const [pair] = c.split(';');
        const i = pair.indexOf('=');
        cookies.set(pair.slice(0, i), pair.slice(i + 1));
      }
    },
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    set: (k: string, v: string) => cookies.set(k, v),
  };
}

describe('console sign-in, sessions, CSRF, validation and escaping (approvals server, in-memory ports)', () => {
  let dir: string;
  let store: ApprovalsStore;
  let server: ApprovalsServer;
  let url: string;
  let now = new Date('2026-01-01T10:00:00Z');
  const decided: DecideRequest[] = [];
  const rollbacks: string[] = [];
  const cancels: Array<{ releaseId: string; who: string }> = [];
  const labelled: Array<{ model: string; predictionId: string; label: string; who: string }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-console-'));
    store = openApprovalsStore({ dataDir: dir });
    const ports: ConsolePorts = {
      listReleases: async () => [{ releaseId: 'release-m-1', model: 'm', stage: 'awaiting_deploy_approval', outcome: null, status: 'RUNNING', startTime: '2026-01-01T00:00:00.000Z', closeTime: null }],
      status: async (id) => (id === 'release-m-1' ? release() : null),
      model: async (model) => ({ model, aliases: { champion: 'art-a', previous: 'art-b', candidate: null }, versions: [], routing: null, timeline: { model, current: 'art-a', periods: [] }, monitor: monitor(), latest: release(), starters: null, review: { items: [queued('p-1:0'), ...Array.from({ length: 11 }, (_, i) => queued(`p-${i + 2}:0`))] } }),
      labelPrediction: async (l) => (l.predictionId === 'p-1:0' ? (labelled.push(l), { ...queued(l.predictionId), status: 'labelled', observed: l.label, reviewer: l.who }) : null),
      cancel: async (c) => void cancels.push(c),
      startRelease: async () => ({ releaseId: 'release-m-2' }),
      rollback: async ({ model }) => {
        rollbacks.push(model);
        return { workflowId: `rollback-${model}-1` };
      },
      trafficWindow: async () => null,
      auditRecord: async () => ({}),
      verifyAudit: async () => ({ ok: true, problems: [], notes: [] }),
    };
    server = createApprovalsServer({
      secret: SECRET, store, now: () => now,
      decide: { decide: async (r) => (decided.push(r), { accepted: true, gateStatus: 'approved' }) },
      readRelease: { get: async (id) => (id === 'release-m-1' ? release() : null), listPending: async () => [] },
      console: { ports, devUsers: ['demo@example.com'] },
    });
    url = (await server.start()).url;
  });
  afterAll(async () => {
    await server.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One request over real HTTP (fastify's inject needs an ES module jest cannot load here). */
  async function inject(o: { method?: 'GET' | 'POST'; url: string; cookie?: string; form?: Record<string, string> }) {
    const r = await fetch(`${url}${o.url}`, {
      method: o.method ?? 'GET', redirect: 'manual',
      headers: { ...(o.cookie ? { cookie: o.cookie } : {}), ...(o.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(o.form ? { body: new URLSearchParams(o.form).toString() } : {}),
    });
    return { statusCode: r.status, body: await r.text(), headers: { location: r.headers.get('location') ?? undefined, 'set-cookie': r.headers.getSetCookie(), 'content-security-policy': r.headers.get('content-security-policy') ?? '' } };
  }

  /** Signs in with a fresh API token; returns the jar and a CSRF token from a page. */
  async function signIn(user: string) {
    const j = jar();
    const page = await inject({ url: '/sign-in' });
    j.take(page.headers['set-cookie']);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const r = await inject({ method: 'POST', url: '/sign-in', cookie: j.header(), form: { _csrf: csrf, token: await store.apiTokens.create(user), next: '/releases/release-m-1' } });
    expect({ status: r.statusCode, location: r.headers.location }).toEqual({ status: 303, location: '/releases/release-m-1' });
    j.take(r.headers['set-cookie']);
    return { j, csrf, setCookie: ([] as string[]).concat(r.headers['set-cookie'] ?? []).find((c) => c.startsWith('mlgate_session='))! };
  }

  it('redirects a page without a session to the sign-in page, keeping where the person wanted to go', async () => {
    const r = await inject({ url: '/models/m' });
    expect({ status: r.statusCode, location: r.headers.location }).toEqual({ status: 303, location: '/sign-in?next=%2Fmodels%2Fm' });
  });

  it('exchanges an API token for an HttpOnly, SameSite=Strict, expiring session cookie', async () => {
    const { j, setCookie } = await signIn('alice@example.com');
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Max-Age=28800/);
    const page = await inject({ url: '/releases/release-m-1', cookie: j.header() });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<strong id="viewer">alice@example.com</strong>');
  });

  it('refuses forged and expired sessions', async () => {
    const { j } = await signIn('alice@example.com');
    const forged = jar();
    forged.set('mlgate_session', Buffer.from(JSON.stringify({ user: 'alice@example.com', exp: now.getTime() + HOUR })).toString('base64url'));
    expect((await inject({ url: '/', cookie: forged.header() })).statusCode).toBe(303);
    const before = now;
    now = new Date(before.getTime() + 9 * HOUR);
    try {
      expect((await inject({ url: '/', cookie: j.header() })).headers.location).toBe('/sign-in?next=%2F');
      const post = await inject({ method: 'POST', url: '/models/m/rollback', cookie: j.header(), form: { _csrf: 'x', reason: 'r' } });
      expect(post.statusCode).toBe(401);
    } finally {
      now = before;
    }
    expect(rollbacks).toEqual([]);
  });

  it('answers an action without a session 401 and one without the CSRF token 403, and changes nothing', async () => {
    const form = { decision: 'approve', comment: 'x' };
    expect((await inject({ method: 'POST', url: '/releases/release-m-1/gates/deploy/decisions', form })).statusCode).toBe(401);
    const { j } = await signIn('alice@example.com');
    const noToken = await inject({ method: 'POST', url: '/releases/release-m-1/gates/deploy/decisions', cookie: j.header(), form });
    expect(noToken.statusCode).toBe(403);
    const wrongToken = await inject({ method: 'POST', url: '/releases/release-m-1/gates/deploy/decisions', cookie: j.header(), form: { ...form, _csrf: 'forged-token' } });
    expect(wrongToken.statusCode).toBe(403);
    expect(decided).toEqual([]);
  });

  it('decides through the decision port with channel console when session and CSRF token are right', async () => {
    const { j, csrf } = await signIn('alice@example.com');
    const r = await inject({ method: 'POST', url: '/releases/release-m-1/gates/deploy/decisions', cookie: j.header(), form: { _csrf: csrf, decision: 'approve', comment: 'ok' } });
    expect({ status: r.statusCode, location: r.headers.location }).toEqual({ status: 303, location: '/releases/release-m-1?done=approved' });
    expect(decided).toEqual([expect.objectContaining({ releaseId: 'release-m-1', runId: 'run-1', gate: 'deploy', approver: 'alice@example.com', decision: 'approve', comment: 'ok', channel: 'console' })]);
  });

  it('names the bad field of a form or a query', async () => {
    const { j, csrf } = await signIn('alice@example.com');
    const body = await inject({ method: 'POST', url: '/releases/release-m-1/gates/deploy/decisions', cookie: j.header(), form: { _csrf: csrf, decision: 'maybe' } });
    expect(body.statusCode).toBe(400);
    expect(body.body).toContain('body.decision: choose approve or reject');
    const query = await inject({ url: '/?stage=bogus', cookie: j.header() });
    expect(query.statusCode).toBe(400);
    expect(query.body).toContain('query.stage: expected one of:');
    const reason = await inject({ method: 'POST', url: '/models/m/rollback', cookie: j.header(), form: { _csrf: csrf, reason: ' ' } });
    expect(reason.body).toContain('body.reason: say why');
  });

  it('renders a stored <script> comment as text', async () => {
    const { j } = await signIn('alice@example.com');
    const page = await inject({ url: '/releases/release-m-1', cookie: j.header() });
    expect(page.body).not.toContain(XSS);
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses a rollback by someone who is neither owner nor approver, and says why on the page', async () => {
    const { j, csrf } = await signIn('mallory@example.com');
    const page = await inject({ url: '/models/m', cookie: j.header() });
    expect(page.body).toContain('You may not roll back: only the owner (owner@example.com) and the approvers (alice@example.com, bob@example.com) may roll back');
    expect(page.body).not.toContain('id="rollback"');
    const r = await inject({ method: 'POST', url: '/models/m/rollback', cookie: j.header(), form: { _csrf: csrf, reason: 'because' } });
    expect(r.statusCode).toBe(403);
    expect(rollbacks).toEqual([]);
  });

  it('applies the same rule to cancel and roll back over the JSON API with a token, and to the CLI with MLGATE_API_TOKEN', async () => {
    const post = (p: string, token: string | null, body?: unknown) => fetch(`${url}${p}`, {
      method: 'POST', headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect((await post('/api/releases/release-m-1/cancel', null)).status).toBe(401);
    const mallory = await post('/api/releases/release-m-1/cancel', await store.apiTokens.create('mallory@example.com'));
    expect(mallory.status).toBe(403);
    expect(await mallory.json()).toMatchObject({ error: 'FORBIDDEN', message: expect.stringContaining('only the owner (owner@example.com) and the approvers') });
    const badBody = await post('/api/models/m/rollback', await store.apiTokens.create('owner@example.com'), { reason: '' });
    expect(await badBody.json()).toMatchObject({ error: 'INVALID_INPUT', problems: ['body.reason: say why (it goes into the audit trail)'] });
    expect({ cancels, rollbacks }).toEqual({ cancels: [], rollbacks: [] });

    // Asynchronously: the server answering the CLI runs in this process.
    const cli = async (args: string[], user: string) => {
      const env = { PATH: process.env.PATH ?? '', HOME: dir, MLGATE_DATA_DIR: dir, MLGATE_SERVER_URL: url, MLGATE_API_TOKEN: await store.apiTokens.create(user) };
      return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [path.join(__dirname, '../../../bin/mlgate.js'), ...args], { encoding: 'utf8', timeout: 60_000, env }, (err, stdout, stderr) => resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }));
      });
    };
    const refused = await cli(['rollback', 'm', '--reason', 'try'], 'mallory@example.com');
    expect({ status: refused.status, stderr: refused.stderr.trim() }).toEqual({ status: 1, stderr: expect.stringContaining('refused (FORBIDDEN): You may not roll back m') });
    const owner = await cli(['rollback', 'm', '--reason', 'scores drifted'], 'owner@example.com');
    expect({ status: owner.status, stdout: owner.stdout.trim() }).toEqual({ status: 0, stdout: 'm: rollback-m-1 started by owner@example.com, restoring art-b' });
    const approver = await cli(['cancel', 'release-m-1'], 'bob@example.com');
    expect(approver.status).toBe(0);
    expect({ cancels, rollbacks }).toEqual({ cancels: [{ releaseId: 'release-m-1', who: 'bob@example.com' }], rollbacks: ['m'] });
  });

  it('offers the dev-only sign-in only for the configured demo users, and labels it', async () => {
    const page = await inject({ url: '/sign-in' });
    expect(page.body).toContain('Development sign-in (mlgate dev only)');
    const j = jar();
    j.take(page.headers['set-cookie']);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const other = await inject({ method: 'POST', url: '/sign-in', cookie: j.header(), form: { _csrf: csrf, devUser: 'root@example.com' } });
    expect(other.statusCode).toBe(401);
    const demo = await inject({ method: 'POST', url: '/sign-in', cookie: j.header(), form: { _csrf: csrf, devUser: 'demo@example.com' } });
    expect(demo.statusCode).toBe(303);
  });

  it('shows the monitor\'s drift and SLO charts per period, its alerts and what the SLO guard did, escaped', async () => {
    const { j } = await signIn('alice@example.com');
    const page = await inject({ url: '/models/m', cookie: j.header() });
    expect(page.statusCode).toBe(200);
    for (const title of ['drift per period (PSI)', 'SLO: p99 latency per period (ms)', 'SLO: error rate per period']) expect(page.body).toContain(`aria-label="${title}"`);
    expect(page.body).toContain('3 periods of the monitor\'s current run (periods 1 to 3)');
    expect(page.body).toMatch(/<table id="monitor-alerts">.*<td>3<\/td>.*&lt;script&gt;.*<td>7<\/td><td><a href="\/releases\/release-m-2">release-m-2<\/a>/);
    expect(page.body).toMatch(/<table id="slo-guard">.*<td>alert<\/td><td>p99 90ms &gt; 50ms<\/td>/);
    expect(page.body).toContain('SLO unavailable: &lt;script&gt;');
    expect(page.body).not.toContain(XSS);
  });

  it('lists the review queue escaped, with a label form and CSRF token for an approver, and why not for anyone else', async () => {
    const alice = await signIn('alice@example.com');
    const page = await inject({ url: '/models/m', cookie: alice.j.header() });
    expect(page.body).toContain('You may label predictions: you are an approver of this model, and approvers may label predictions.');
    expect(page.body).toMatch(/<form method="post" action="\/models\/m\/review" class="review-label"><input type="hidden" name="_csrf" value="[^"]+"><input type="hidden" name="predictionId" value="p-1:0">/);
    expect(page.body).toContain('<td>income=&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(page.body).toContain('The first 10 of 12 waiting; <code>mlgate review list m</code> lists them all.');
    expect(page.body.match(/class="review-label"/g)).toHaveLength(10);
    const mallory = await signIn('mallory@example.com');
    const other = await inject({ url: '/models/m', cookie: mallory.j.header() });
    expect(other.body).toContain('You may not label predictions: only the owner (owner@example.com) and the approvers (alice@example.com, bob@example.com) may label predictions; you are mallory@example.com.');
    expect(other.body).toContain('<code>p-1:0</code>');
    expect(other.body).not.toContain('class="review-label"');
  });

  it('refuses a label without a session, without the CSRF token, from someone who may not act, or with a bad field, and labels nothing', async () => {
    const form = { predictionId: 'p-1:0', label: '1' };
    expect((await inject({ method: 'POST', url: '/models/m/review', form })).statusCode).toBe(401);
    const alice = await signIn('alice@example.com');
    expect((await inject({ method: 'POST', url: '/models/m/review', cookie: alice.j.header(), form })).statusCode).toBe(403);
    const mallory = await signIn('mallory@example.com');
    const refused = await inject({ method: 'POST', url: '/models/m/review', cookie: mallory.j.header(), form: { ...form, _csrf: mallory.csrf } });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('You may not label predictions of m');
    const noLabel = await inject({ method: 'POST', url: '/models/m/review', cookie: alice.j.header(), form: { _csrf: alice.csrf, predictionId: 'p-1:0', label: '  ' } });
    expect({ status: noLabel.statusCode, named: noLabel.body.includes('body.label: give the observed outcome, e.g. 1') }).toEqual({ status: 400, named: true });
    const noId = await inject({ method: 'POST', url: '/models/m/review', cookie: alice.j.header(), form: { _csrf: alice.csrf, label: '1' } });
    expect(noId.statusCode).toBe(400);
    expect(noId.body).toContain('body.predictionId');
    expect(labelled).toEqual([]);
  });

  it('labels a queued prediction through the review port as the signed-in person, and says so when it is no longer queued', async () => {
    const { j, csrf } = await signIn('bob@example.com');
    const r = await inject({ method: 'POST', url: '/models/m/review', cookie: j.header(), form: { _csrf: csrf, predictionId: 'p-1:0', label: '0' } });
    expect({ status: r.statusCode, location: r.headers.location }).toEqual({ status: 303, location: '/models/m?done=labelled#review' });
    expect(labelled).toEqual([{ model: 'm', predictionId: 'p-1:0', label: '0', who: 'bob@example.com' }]);
    const gone = await inject({ method: 'POST', url: '/models/m/review', cookie: j.header(), form: { _csrf: csrf, predictionId: 'p-9:0', label: '0' } });
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toContain('prediction p-9:0 is not in the review queue of m');
    const notice = await inject({ url: '/models/m?done=labelled', cookie: j.header() });
    expect(notice.body).toContain('Recorded: you labelled the prediction');
  });
});
