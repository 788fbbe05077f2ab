/**
 * A throwaway local PostgreSQL server (Debian's postgresql, installed by `npm test`'s bootstrap) for
 * tests and benchmarks: `initdb` into a temporary folder, `postgres` on a free loopback port with
 * trust authentication, one database. As root it runs as the `postgres` user, since PostgreSQL
 * refuses to run as root.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../temporal/free-port';

export interface LocalPostgres {
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url: string;
  port: number;
  /** Fast shutdown, then the same data folder on the same port again: every client loses its connections. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Where initdb and postgres live: MLGATE_POSTGRES_BIN_DIR, Debian's /usr/lib/postgresql/<n>/bin, else PATH. */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MLGATE_POSTGRES_BIN_DIR) return env.MLGATE_POSTGRES_BIN_DIR;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.length > 0 ? path.join(root, versions[0], 'bin') : '';
}

function runAs(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, but there is no postgres user to run PostgreSQL as; install Debian\'s postgresql');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * With passwordAuth the superuser `postgres` still connects without one, but every other role must
 * give its password (scram-sha-256), so tests can make a role and try a wrong password.
 */
const PASSWORD_HBA = `local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
`;

/** `logFile`: the server's own log (stderr), appended across restarts; otherwise discarded. */
export async function startPostgres(o: { database?: string; startTimeoutMs?: number; passwordAuth?: boolean; maxConnections?: number; logFile?: string } = {}): Promise<LocalPostgres> {
  const bin = postgresBinDir();
  const exe = (name: string) => (bin ? path.join(bin, name) : name);
  const dir = mkdtempSync(path.join(tmpdir(), 'mlgate-pg-'));
  const as = runAs();
  if (as.uid !== undefined) chownSync(dir, as.uid, as.gid ?? as.uid);
  const data = path.join(dir, 'data');
  await promisify(execFile)(exe('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...as });
  if (o.passwordAuth) writeFileSync(path.join(data, 'pg_hba.conf'), PASSWORD_HBA);
  const port = await freePort();
  const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', `max_connections=${o.maxConnections ?? 100}`];
  let child: ChildProcess;
  let exited = false;
  const launch = () => {
    exited = false;
    // The descriptor is opened here and inherited, so a server running as the postgres user can write it.
    const log = o.logFile ? openSync(o.logFile, 'a') : 'ignore';
    child = spawn(exe('postgres'), args, { ...as, stdio: ['ignore', log, log] });
    if (typeof log === 'number') closeSync(log);
    child.once('exit', () => (exited = true));
  };
  const shutdown = async () => {
    if (exited) return;
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT'); // fast shutdown
    await done;
  };
  /** Resolves once a connection succeeds; returns it still open. */
  const accepting = async (): Promise<Client> => {
    const deadline = Date.now() + (o.startTimeoutMs ?? 120_000);
    for (;;) {
      if (exited) throw new Error(`postgres exited before it accepted connections (binaries: ${bin || 'PATH'})`);
      const c = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      if (await c.connect().then(() => true, () => false)) return c;
      if (Date.now() > deadline) throw new Error(`postgres on port ${port} did not accept connections in time`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  launch();
  const database = o.database ?? 'mlgate';
  const c = await accepting();
  await c.query(`CREATE DATABASE ${database}`);
  await c.end();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    port,
    async restart() {
      await shutdown();
      launch();
      await (await accepting()).end();
    },
    async stop() {
      await shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
