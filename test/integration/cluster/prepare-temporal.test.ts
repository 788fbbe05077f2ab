/**
 * Starting against a Temporal that is not mlgate's own (#14 item 1), on a real, bare dev server
 * started without mlgate's search attributes: `prepareTemporal` registers them (idempotently), and
 * a wrong namespace, an address that is no Temporal frontend or an unreachable database stops
 * `mlgate worker` with one line and exit 2 before anything starts.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { resolveTemporalBinary } from '../../../src/temporal/binaries';
import { startDevServer, type DevServer } from '../../../src/temporal/dev-server';
import { freePort } from '../../../src/temporal/free-port';
import { prepareTemporal, TemporalSetupError } from '../../../src/temporal/prepare-temporal';
import { SEARCH_ATTRIBUTES } from '../../../src/workflows/search-attributes';
import { connectTemporal } from '../../../src/temporal/connection-interceptors';

const BIN = path.resolve(__dirname, '../../../bin/mlgate.js');

describe('prepareTemporal on a bare Temporal server', () => {
  let server: DevServer;
  let notTemporal: Server;
  let notTemporalAddress: string;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mlgate-prepare-'));

  beforeAll(async () => {
    server = await startDevServer({ binaryPath: resolveTemporalBinary('cli', { env: process.env }).path, port: await freePort(), headless: true, searchAttributes: false, startTimeoutMs: 180_000 });
    notTemporal = createServer((_req, res) => res.end('not temporal'));
    await new Promise<void>((r) => notTemporal.listen(0, '127.0.0.1', () => r()));
    notTemporalAddress = `127.0.0.1:${(notTemporal.address() as { port: number }).port}`;
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    await new Promise((r) => notTemporal?.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const countByModel = async () => {
    const connection = await connectTemporal({ address: server.address });
    try {
      return (await new Client({ connection }).workflow.count('mlgateModel = "credit-risk"')).count;
    } finally {
      await connection.close();
    }
  };

  const cli = (args: string[], env: Record<string, string>) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const base = { PATH: process.env.PATH ?? '', MLGATE_DATA_DIR: dataDir, MLGATE_ADMIN_TOKEN: 'a'.repeat(32), MLGATE_APPROVAL_SECRET: 'b'.repeat(32), MLGATE_PII_SALT: 'c'.repeat(32) };
      execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...base, ...env } }, (err, stdout, stderr) => {
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
      });
    });

  it('registers the missing search attributes once, and a second start finds them all', async () => {
    const before = await countByModel().catch((e: unknown) => e as Error & { cause?: Error });
    expect(String((before as Error & { cause?: Error }).cause?.message)).toMatch(/mlgateModel/);
    expect(await prepareTemporal({ address: server.address, namespace: 'default' })).toEqual({ registered: SEARCH_ATTRIBUTES.map((k) => k.name) });
    expect(await prepareTemporal({ address: server.address, namespace: 'default' })).toEqual({ registered: [] });
    expect(await countByModel()).toBe(0);
  });

  it('a namespace that does not exist is one line saying what to run', async () => {
    const err = await prepareTemporal({ address: server.address, namespace: 'nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemporalSetupError);
    expect((err as Error).message).toBe(`namespace "nope" does not exist on ${server.address}; create it with \`temporal operator namespace create --address ${server.address} nope\`, or set MLGATE_TEMPORAL_NAMESPACE`);
  });

  it('an address that is not a Temporal frontend is one line naming the setting', async () => {
    const err = await prepareTemporal({ address: notTemporalAddress, namespace: 'default', connectTimeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemporalSetupError);
    expect((err as Error).message).toMatch(new RegExp(`^no Temporal frontend answers at ${notTemporalAddress} \\(.*\\); set MLGATE_TEMPORAL_ADDRESS to the frontend's host:port`));
  });

  it('mlgate worker with a wrong namespace exits 2 with that one line and starts nothing', async () => {
    const r = await cli(['worker'], { MLGATE_TEMPORAL_ADDRESS: server.address, MLGATE_TEMPORAL_NAMESPACE: 'nope' });
    expect({ status: r.status, stderr: r.stderr.trim(), ready: r.stdout.includes('ready') }).toEqual({
      status: 2, stderr: `mlgate: namespace "nope" does not exist on ${server.address}; create it with \`temporal operator namespace create --address ${server.address} nope\`, or set MLGATE_TEMPORAL_NAMESPACE`, ready: false,
    });
  });

  it('mlgate worker with an unreachable database exits 2 with one line that hides the password, and starts nothing', async () => {
    const r = await cli(['worker'], { MLGATE_TEMPORAL_ADDRESS: server.address, MLGATE_DATABASE_URL: 'postgres://mlgate:s3cret@127.0.0.1:9/mlgate' });
    expect({ status: r.status, ready: r.stdout.includes('ready'), leaks: r.stderr.includes('s3cret') }).toEqual({ status: 2, ready: false, leaks: false });
    expect(r.stderr.trim()).toMatch(/^mlgate: cannot use PostgreSQL at postgres:\/\/mlgate:\*\*\*@127\.0\.0\.1:9\/mlgate \(.*\); check MLGATE_DATABASE_URL$/);
  });
});
