import { runTraffic } from '../../../src/traffic';
import { MODEL, ROWS, startTestGateway, type TestGateway } from './fixtures';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' }, candidate: { version: 'v-candidate', mode: 'canary', weight: 50 }, stickyHeader: 'x-mlgate-key' });
});
afterAll(async () => {
  await gw.close();
});

describe('runTraffic', () => {
  it('sends exactly rps x duration requests on schedule and counts answers per version', async () => {
    const stats: number[] = [];
    const r = await runTraffic({ gatewayUrl: gw.url, model: MODEL, rows: ROWS, rps: 200, durationMs: 1000, onStats: (s) => stats.push(s.sent) });
    expect(r.sent + r.dropped).toBe(200);
    expect(r.ok + r.errors).toBe(r.sent);
    expect(r.ok).toBe(r.sent);
    expect(Object.values(r.versions).reduce((a, b) => a + b, 0)).toBe(r.ok);
    expect(Object.keys(r.versions).sort()).toEqual(['v-candidate', 'v-stable']);
    expect(r.latencyMs.p99).toBeGreaterThan(0);
    expect(stats.at(-1)).toBe(r.sent);
  });

  it('keeps each sticky key on one version', async () => {
    const r = await runTraffic({ gatewayUrl: gw.url, model: MODEL, rows: ROWS, rps: 100, durationMs: 500, stickyKeys: ['only-key'] });
    expect(Object.keys(r.versions)).toHaveLength(1);
  });

  it('refuses a gateway that is not on loopback, naming the field', async () => {
    await expect(runTraffic({ gatewayUrl: 'http://example.com', model: MODEL, rows: ROWS, rps: 1, durationMs: 10 })).rejects.toThrow(/gatewayUrl: gatewayUrl must be a loopback address/);
  });
});
