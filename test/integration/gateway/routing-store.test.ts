/**
 * The routing-store contract, run against both adapters: the JSON file (the embedded default) and
 * PostgreSQL (several gateway replicas, a real local server started for this file). Then what only
 * PostgreSQL does: changes reach another replica through LISTEN/NOTIFY, or through the periodic
 * re-read when a notification was lost. Tests wait on conditions with generous deadlines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openFileRoutingStore } from '../../../src/adapters/routing-store/file';
import { openPostgresRoutingStore, ROUTING_CHANNEL } from '../../../src/adapters/routing-store/postgres';
import type { RoutingInput } from '../../../src/domain/routing';
import type { RoutingStore } from '../../../src/ports/routing-store';
import { startPostgres, type LocalPostgres } from '../../../src/postgres/local-postgres';
import { waitForStage } from '../../helpers/release-env';

const dir = mkdtempSync(join(tmpdir(), 'mlgate-routing-'));
let postgres: LocalPostgres | undefined;
const stores: RoutingStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const pgUrl = async () => (postgres ??= await startPostgres()).url;
/** A PostgreSQL replica that only hears changes through NOTIFY unless told otherwise (the re-read is an hour away). */
const replica = async (rereadMs = 3_600_000) => {
  const s = await openPostgresRoutingStore({ url: await pgUrl(), rereadMs });
  stores.push(s);
  return s;
};
const fileStore = async () => {
  const s = await openFileRoutingStore({ stateDir: dir });
  stores.push(s);
  return s;
};

const stable = (version: string): RoutingInput => ({ stable: { version } });
const canary = (weight: number): RoutingInput => ({ stable: { version: 'v1' }, candidate: { version: 'v2', mode: 'canary', weight } });

/**
 * open: a store; reopen: another store on the same state, as a restarted or second gateway opens it;
 * writers: who else writes at the same time (the file has one gateway, PostgreSQL several replicas).
 */
type Adapter = { open: () => Promise<RoutingStore>; reopen: () => Promise<RoutingStore>; otherWriter: (self: RoutingStore) => Promise<RoutingStore> };
const ADAPTERS: Array<[string, Adapter]> = [
  ['file', { open: fileStore, reopen: fileStore, otherWriter: async (self) => self }],
  ['PostgreSQL', { open: () => replica(), reopen: () => replica(), otherWriter: () => replica() }],
];

describe.each(ADAPTERS)('%s routing store', (_name, adapter) => {
  let store: RoutingStore;
  beforeAll(async () => {
    store = await adapter.open();
  }, 180_000);

  it('starts a model at generation 1 and bumps the generation on every change', async () => {
    expect(store.get('m-gen')).toBeNull();
    expect(await store.set('m-gen', stable('v1'))).toEqual({ status: 'ok', routing: { ...stable('v1'), generation: 1 }, changed: true });
    expect(await store.set('m-gen', canary(10), 1)).toMatchObject({ status: 'ok', routing: { generation: 2 }, changed: true });
    expect(store.get('m-gen')).toEqual({ ...canary(10), generation: 2 });
    expect(store.entries()).toContainEqual(['m-gen', { ...canary(10), generation: 2 }]);
  });

  it('refuses a stale expectedGeneration with the current routing and changes nothing', async () => {
    await store.set('m-cas', stable('v1'));
    await store.set('m-cas', canary(5));
    expect(await store.set('m-cas', canary(50), 1)).toEqual({ status: 'conflict', current: { ...canary(5), generation: 2 } });
    expect(await store.set('m-new', stable('v1'), 3)).toEqual({ status: 'conflict', current: null });
    expect(store.get('m-cas')).toEqual({ ...canary(5), generation: 2 });
  });

  it('treats a retried write of the routing already in place as ok and unchanged, whatever generation it expected', async () => {
    await store.set('m-idem', canary(25));
    expect(await store.set('m-idem', canary(25), 0)).toEqual({ status: 'ok', routing: { ...canary(25), generation: 1 }, changed: false });
  });

  it('lets exactly one of two writers expecting the same generation win', async () => {
    const other = await adapter.otherWriter(store);
    await store.set('m-race', stable('v1'));
    const results = await Promise.all([store.set('m-race', canary(10), 1), other.set('m-race', canary(90), 1)]);
    expect(results.map((r) => r.status).sort()).toEqual(['conflict', 'ok']);
  });

  it('gives a store opened later every routing from its first read', async () => {
    await store.set('m-later', canary(30));
    const later = await adapter.reopen();
    expect(later.get('m-later')).toEqual({ ...canary(30), generation: 1 });
  });
});

describe('PostgreSQL routing shared by gateway replicas', () => {
  it('brings a change made on one replica to another through NOTIFY and tells its listener', async () => {
    const [a, b] = [await replica(), await replica()];
    const heard: string[] = [];
    b.onRemoteChange((model, r) => heard.push(`${model}@${r.generation}`));
    await a.set('m-notify', stable('v1'));
    await a.set('m-notify', canary(20), 1);
    await waitForStage(async () => b.get('m-notify'), (r) => r?.generation === 2, 20_000);
    expect(b.get('m-notify')).toEqual({ ...canary(20), generation: 2 });
    expect(heard).toContain('m-notify@2');
  }, 60_000);

  it('converges when the listener connection is killed and the notification is lost', async () => {
    const a = await replica();
    const b = await replica(500);
    await a.set('m-lost', stable('v1'));
    await waitForStage(async () => b.get('m-lost'), (r) => r !== null, 20_000);
    const admin = new Client({ connectionString: await pgUrl() });
    await admin.connect();
    try {
      const killed = await admin.query(`SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN ${ROUTING_CHANNEL}' AND pid <> pg_backend_pid()`);
      expect(killed.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await a.set('m-lost', canary(40), 1);
    await waitForStage(async () => b.get('m-lost'), (r) => r?.generation === 2, 30_000);
    expect(b.get('m-lost')).toEqual({ ...canary(40), generation: 2 });
  }, 60_000);

  it('refuses to open on a database that does not exist, with the database\'s own reason', async () => {
    await expect(openPostgresRoutingStore({ url: (await pgUrl()).replace(/\/mlgate$/, '/no_such_db') })).rejects.toThrow(/does not exist/);
  }, 60_000);
});
