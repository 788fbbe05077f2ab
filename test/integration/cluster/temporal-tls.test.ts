/**
 * Reaching a Temporal cluster that wants mutual TLS, with Temporal's own client conventions
 * (TEMPORAL_ADDRESS and TEMPORAL_TLS_*, read through @temporalio/envconfig). The cluster here is a
 * real dev server behind a real TLS terminator that demands a client certificate signed by a CA
 * made in this test (openssl), speaking HTTP/2 (ALPN h2) to the SDK and plain gRPC to the server.
 * A real `mlgate worker` and `mlgate smoke` run a workflow, an activity, an Update and a signal
 * through it; without the client certificate, or with a certificate file that is not there, each
 * stops with one line and exit 2.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { resolveTemporalBinary } from '../../../src/temporal/binaries';
import { startDevServer, type DevServer } from '../../../src/temporal/dev-server';
import { freePort } from '../../../src/temporal/free-port';

const BIN = path.resolve(__dirname, '../../../bin/mlgate.js');

/** A CA, a server certificate for 127.0.0.1/localhost and a client certificate, all signed by the CA. */
function makeCertificates(dir: string): Record<'ca' | 'serverKey' | 'serverCert' | 'clientKey' | 'clientCert', string> {
  const f = (name: string) => path.join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=mlgate test CA');
  writeFileSync(f('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  writeFileSync(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'server' ? 'localhost' : 'mlgate-worker'}`);
    ssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '1', '-extfile', `${who}.ext`);
  }
  return { ca: f('ca.pem'), serverKey: f('server.key'), serverCert: f('server.pem'), clientKey: f('client.key'), clientCert: f('client.pem') };
}

describe('a Temporal cluster behind mutual TLS, through Temporal’s own client settings', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlgate-tls-'));
  const dataDir = path.join(dir, 'data');
  let server: DevServer;
  let terminator: TlsServer;
  let address = '';
  let certs: ReturnType<typeof makeCertificates>;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    certs = makeCertificates(dir);
    server = await startDevServer({ binaryPath: resolveTemporalBinary('cli', { env: process.env }).path, port: await freePort(), headless: true, searchAttributes: false, startTimeoutMs: 180_000 });
    const [host, port] = server.address.split(':');
    terminator = createTlsServer(
      { key: readFileSync(certs.serverKey), cert: readFileSync(certs.serverCert), ca: readFileSync(certs.ca), requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
      (socket) => {
        const upstream = netConnect(Number(port), host);
        socket.pipe(upstream).pipe(socket);
        const close = () => (socket.destroy(), upstream.destroy());
        socket.on('error', close);
        upstream.on('error', close);
      },
    );
    await new Promise<void>((r) => terminator.listen(0, '127.0.0.1', () => r()));
    address = `127.0.0.1:${(terminator.address() as { port: number }).port}`;
  }, 240_000);
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await new Promise((r) => terminator?.close(r));
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const baseEnv = () => ({
    PATH: process.env.PATH ?? '', MLGATE_DATA_DIR: dataDir, MLGATE_TASK_QUEUE: 'tls-smoke',
    MLGATE_ADMIN_TOKEN: 'a'.repeat(32), MLGATE_APPROVAL_SECRET: 'b'.repeat(32), MLGATE_PII_SALT: 'c'.repeat(32),
    // Temporal's own variables: no MLGATE_TEMPORAL_ADDRESS at all.
    TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.ca, TEMPORAL_TLS_SERVER_NAME: 'localhost',
  });
  const mtlsEnv = () => ({ ...baseEnv(), TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: certs.clientKey });
  const cli = (args: string[], env: Record<string, string>) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000, env }, (err, stdout, stderr) => {
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
      });
    });

  it('runs a worker and the smoke workflow (activity, Update, signal) over mutual TLS', async () => {
    const worker = spawn(process.execPath, [BIN, 'worker'], { env: mtlsEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    workers.push(worker);
    let workerOutput = '';
    worker.stdout?.on('data', (d: Buffer) => (workerOutput += d.toString()));
    worker.stderr?.on('data', (d: Buffer) => (workerOutput += d.toString()));
    const smoke = await cli(['smoke'], mtlsEnv());
    expect({ status: smoke.status, stderr: smoke.stderr }).toEqual({ status: 0, stderr: '' });
    expect(smoke.stdout).toMatch(/smoke/i);
    // The worker prepared the namespace over the same TLS connection settings.
    expect(workerOutput).toMatch(/registered search attributes on 127\.0\.0\.1:\d+ \(namespace default\): mlgateModel/);
    worker.kill('SIGTERM');
  }, 300_000);

  it('stops a worker with one line and exit 2 when the cluster refuses it for lack of a client certificate', async () => {
    const r = await cli(['worker'], baseEnv());
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`no Temporal frontend answers at ${address.replace(/\./g, '\\.')} .*check the TEMPORAL_TLS_\\* settings`));
  }, 200_000);

  it('stops with one line and exit 2 when a certificate file is not there, naming the setting', async () => {
    const r = await cli(['worker'], { ...mtlsEnv(), TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(dir, 'missing.pem') });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/TEMPORAL_TLS_CLIENT_CERT_PATH.*missing\.pem/)]);
  }, 60_000);
});
