/**
 * Bad configuration at start (#14), each against the real `mlgate` binary and real backends: a
 * wrong database password, a role that may not create mlgate's missing tables (it is offered
 * `mlgate migrate`), an unreachable Prometheus, and a Temporal address that is no frontend (an HTTP
 * server, a closed port). Each stops with exit 2 and one line naming the setting, and starts
 * nothing. `mlgate migrate` applies every migration once, and the limited role then starts.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startPostgres, type LocalPostgres } from '../../../src/postgres/local-postgres';
import { freePort } from '../../../src/temporal/free-port';
import { MLGATE_MIGRATIONS } from '../../../src/workers/database';
import { runMlgate, startMlgate } from '../../helpers/mlgate-cli';

const dataDir = mkdtempSync(path.join(tmpdir(), 'mlgate-badcfg-'));
let postgres: LocalPostgres;
let httpServer: Server;
let httpAddress: string;
/** postgres://<role>:<password>@127.0.0.1:<port>/mlgate */
const urlAs = (role: string, password: string) => postgres.url.replace('postgres://postgres@', `postgres://${role}:${password}@`);

async function asOwner<T>(sql: string): Promise<T[]> {
  const c = new Client({ connectionString: postgres.url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  postgres = await startPostgres({ passwordAuth: true });
  // The servers' role: it may read and write mlgate's rows once they exist, but not create tables
  // (PostgreSQL 15 gives no one but the owner CREATE on schema public).
  await asOwner(`CREATE ROLE app LOGIN PASSWORD 's3cret';
    ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO app;
    ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO app;
    REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
  httpServer = createServer((_req, res) => res.end('not temporal'));
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', () => r()));
  httpAddress = `127.0.0.1:${(httpServer.address() as { port: number }).port}`;
}, 180_000);
afterAll(async () => {
  await new Promise((r) => httpServer?.close(r));
  await postgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const oneLine = (r: { stderr: string }) => r.stderr.trim().split('\n');

describe('mlgate with a bad PostgreSQL setting', () => {
  it('stops mlgate gateway on a wrong password with exit 2 and one line naming MLGATE_DATABASE_URL, the password hidden', async () => {
    const r = await runMlgate(['gateway'], dataDir, { MLGATE_DATABASE_URL: urlAs('app', 'wrong-password') });
    expect({ status: r.status, stdout: r.stdout, leaks: r.stderr.includes('wrong-password') }).toEqual({ status: 2, stdout: '', leaks: false });
    expect(oneLine(r)).toEqual([expect.stringMatching(/^mlgate: cannot use PostgreSQL at postgres:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/mlgate \(password authentication failed for user "app"\); check MLGATE_DATABASE_URL$/)]);
  }, 150_000);

  it.each([
    ['gateway', ['gateway']], ['token create', ['token', 'create', 'alice@example.com']],
  ])('stops mlgate %s with one line offering mlgate migrate when its role may not create the missing tables, and creates none', async (_name, args) => {
    const r = await runMlgate(args, dataDir, { MLGATE_DATABASE_URL: urlAs('app', 's3cret') });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
    expect(oneLine(r)).toEqual([expect.stringMatching(/^mlgate: mlgate's tables in PostgreSQL at postgres:\/\/app:\*\*\*@.* are missing or behind, and this role may not create them \(permission denied for schema public\); run `mlgate migrate` once with MLGATE_DATABASE_URL set to a role that owns the schema$/)]);
    expect(await asOwner<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).toEqual([{ n: 0 }]);
  }, 150_000);

  it('mlgate migrate as the owner prints every migration it applied, a second run applies none, and then the limited role\'s gateway starts', async () => {
    const first = await runMlgate(['migrate'], dataDir, { MLGATE_DATABASE_URL: postgres.url });
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    expect(first.stdout.trim().split('\n')).toEqual([...MLGATE_MIGRATIONS.map((m) => `applied ${m.id}`), expect.stringMatching(/applied \d+ migration\(s\); the schema is current/)]);
    const second = await runMlgate(['migrate'], dataDir, { MLGATE_DATABASE_URL: postgres.url });
    expect({ status: second.status, out: second.stdout.trim() }).toEqual({ status: 0, out: expect.stringMatching(/^PostgreSQL at .* is up to date \(\d+ migrations\); nothing to apply$/) });
    const gateway = await startMlgate(['gateway'], dataDir, {
      MLGATE_DATABASE_URL: urlAs('app', 's3cret'), MLGATE_GATEWAY_PORT: String(await freePort()), MLGATE_GATEWAY_ADMIN_PORT: String(await freePort()),
    }, 'mlgate gateway ready');
    expect(await gateway.stop()).toBe(0);
  }, 150_000);

  it('mlgate migrate without MLGATE_DATABASE_URL says there is nothing to migrate and why', async () => {
    const r = await runMlgate(['migrate'], dataDir);
    expect({ status: r.status, lines: oneLine(r) }).toEqual({ status: 2, lines: [expect.stringMatching(/^mlgate: MLGATE_DATABASE_URL is not set: mlgate keeps its state in SQLite files under .*, which need no migration/)] });
  }, 150_000);
});

describe('mlgate with a bad Prometheus or Temporal setting', () => {
  const temporal = () => process.env.MLGATE_TEST_TEMPORAL_ADDRESS!;

  it('stops mlgate worker when Prometheus does not answer, with one line naming MLGATE_PROMETHEUS_URL', async () => {
    const prometheus = `http://127.0.0.1:${await freePort()}`;
    const r = await runMlgate(['worker'], dataDir, { MLGATE_TEMPORAL_ADDRESS: temporal(), MLGATE_METRICS_SOURCE: 'prometheus', MLGATE_PROMETHEUS_URL: prometheus });
    expect({ status: r.status, ready: r.stdout.includes('ready') }).toEqual({ status: 2, ready: false });
    expect(oneLine(r)).toEqual([expect.stringMatching(new RegExp(`^mlgate: Prometheus at ${prometheus}/? does not answer \\(.*\\); check MLGATE_PROMETHEUS_URL, or set MLGATE_METRICS_SOURCE=gateway$`))]);
  }, 150_000);

  it.each([
    ['worker', 'an HTTP server'], ['server', 'an HTTP server'], ['worker', 'a closed port'], ['server', 'a closed port'],
  ])('stops mlgate %s when MLGATE_TEMPORAL_ADDRESS is %s, with one line naming the setting', async (command, what) => {
    const address = what === 'a closed port' ? `127.0.0.1:${await freePort()}` : httpAddress;
    const r = await runMlgate([command], dataDir, { MLGATE_TEMPORAL_ADDRESS: address });
    expect({ status: r.status, ready: r.stdout.includes('ready') }).toEqual({ status: 2, ready: false });
    expect(oneLine(r)).toEqual([expect.stringMatching(new RegExp(`^mlgate: no Temporal frontend answers at ${address} \\(.*\\); set MLGATE_TEMPORAL_ADDRESS to the frontend's host:port`))]);
  }, 150_000);
});
