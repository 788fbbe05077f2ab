/**
 * A PostgreSQL outage under the approvals server (#14, run time): the network to the real database
 * behind the approvals store is cut through a TCP proxy. An approver's link then gets a retryable
 * 503 and no decision is taken (the link is checked against the store before anything is decided);
 * once the database is back the same link decides, once. The server stays up throughout.
 */
import { openPostgresApprovalsStore } from '../../../src/adapters/approvals-store/postgres';
import { startPostgresBehindProxy } from '../../helpers/tcp-proxy';
import { postForm, startHarness, type Harness } from './harness';

let db: Awaited<ReturnType<typeof startPostgresBehindProxy>>;
let h: Harness;

beforeAll(async () => {
  db = await startPostgresBehindProxy();
  h = await startHarness({ openStore: () => openPostgresApprovalsStore({ url: db.url }) });
}, 180_000);
afterAll(async () => {
  await db?.proxy.restore().catch(() => undefined);
  await h?.close();
  await db?.stop();
});

describe('a PostgreSQL outage under the approvals server', () => {
  it('answers an approval link with a retryable 503 and decides nothing, then decides once when the database is back', async () => {
    const links = await h.openRelease('release-outage-1');
    const link = links['a@x.io'];
    await db.proxy.cut();
    const during = await postForm(link, { action: 'approve', comment: 'looks fine' });
    expect(during.status).toBe(503);
    expect(await during.text()).toMatch(/a database mlgate needs is unavailable/);
    expect(h.releases.gate('release-outage-1', 'deploy').decisions).toEqual([]);
    expect((await fetch(`${h.url}/openapi.json`)).status).toBe(200);

    await db.proxy.restore();
    expect((await postForm(link, { action: 'approve', comment: 'looks fine' })).status).toBe(200);
    expect(h.releases.gate('release-outage-1', 'deploy').decisions.map((d) => d.approver)).toEqual(['a@x.io']);
    expect((await postForm(link, { action: 'approve', comment: 'again' })).status).toBe(409);
  }, 120_000);
});
