import { Client } from '@temporalio/client';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../src/temporal/free-port';
import { connectTemporal } from '../../../src/temporal/connection-interceptors';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/mlgate.js');

async function stackEnv(dataDir: string): Promise<Record<string, string>> {
  const ports = await Promise.all(Array.from({ length: 7 }, () => freePort()));
  const [temporal, ui, gateway, admin, server, smtp, mailbox] = ports.map(String);
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    MLGATE_DATA_DIR: dataDir,
    MLGATE_TEMPORAL_PORT: temporal,
    MLGATE_TEMPORAL_UI_PORT: ui,
    MLGATE_GATEWAY_PORT: gateway,
    MLGATE_GATEWAY_ADMIN_PORT: admin,
    MLGATE_SERVER_PORT: server,
    MLGATE_PUBLIC_URL: `http://127.0.0.1:${server}`,
    MLGATE_SMTP_PORT: smtp,
    MLGATE_MAILBOX_PORT: mailbox,
    MLGATE_LOG_LEVEL: 'warn',
  };
}

/** Starts `mlgate dev` and resolves with its output once it printed that it is ready. */
function startDev(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'dev'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mlgate dev not ready in 150 s:\n${out}`)), 150_000);
    child.stdout!.on('data', () => {
      if (out.includes('Ctrl-C stops everything')) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    });
    child.once('exit', (code) => reject(new Error(`mlgate dev exited early (${code}):\n${out}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('mlgate dev (the README start command, as a real process tree)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-dev-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('brings up Temporal with its UI and a worker that completes the smoke workflow from the CLI, stops cleanly on SIGTERM, and keeps history across a restart', async () => {
    const env = await stackEnv(dataDir);
    const first = await startDev(env);
    const ui = await fetch(`http://127.0.0.1:${env.MLGATE_TEMPORAL_UI_PORT}/`);
    expect(ui.status).toBe(200);
    // The console's address is printed, and under `mlgate dev` its sign-in offers the labelled demo sign-in.
    const consoleUrl = `${env.MLGATE_PUBLIC_URL}/`;
    expect(first.output()).toMatch(new RegExp(`Console \\(dev sign-in as a demo user\\)\\s+${consoleUrl.replace(/[.]/g, '\\.')}`));
    const signIn = await fetch(`${consoleUrl}sign-in`);
    expect(signIn.status).toBe(200);
    expect(await signIn.text()).toContain('Development sign-in (mlgate dev only)');
    const smoke = spawnSync(process.execPath, [BIN, 'smoke'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(smoke.stderr).toBe('');
    expect(smoke.status).toBe(0);
    const result = JSON.parse(smoke.stdout) as { echoed: string; notes: string[] };
    expect(result.notes).toEqual(['update accepted']);
    expect(await stop(first.child)).toBe(0);
    expect(existsSync(path.join(dataDir, 'temporal', 'temporal.db'))).toBe(true);

    const second = await startDev(env);
    const connection = await connectTemporal({ address: `127.0.0.1:${env.MLGATE_TEMPORAL_PORT}` });
    const client = new Client({ connection });
    const smokes = [];
    for await (const wf of client.workflow.list({ query: 'WorkflowType = "smokeWorkflow"' })) smokes.push(wf);
    await connection.close();
    expect(smokes).toHaveLength(1);
    expect(smokes[0].status.name).toBe('COMPLETED');
    expect(await stop(second.child)).toBe(0);
  });

  it('refuses a wrong configuration value with one line naming the variable, and starts nothing', async () => {
    const fresh = path.join(dataDir, 'never-created');
    const env = { ...(await stackEnv(fresh)), MLGATE_GATEWAY_PORT: 'eighty' };
    const r = spawnSync(process.execPath, [BIN, 'dev'], { env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('Invalid configuration: MLGATE_GATEWAY_PORT="eighty" must be a TCP port 1-65535');
    expect(existsSync(fresh)).toBe(false);
  });

  it('refuses a demo model it has no spec for with one line, and starts nothing', async () => {
    const fresh = path.join(dataDir, 'never-created-demo');
    const r = spawnSync(process.execPath, [BIN, 'dev', '--demo', '--model', 'no-such-model'], { env: await stackEnv(fresh), encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1); // as for any spec the CLI cannot find; usage errors are 2
    expect(r.stderr.trim()).toMatch(/^mlgate: no spec for "no-such-model": give a spec file path, or put one at .*no-such-model\/model\.yaml/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(fresh)).toBe(false);
  });

  it('rejects a bad spec before anything starts, listing every problem by path', () => {
    const bad = path.join(dataDir, 'bad.yaml');
    writeFileSync(bad, 'id: Bad Id\nowner: x@example.com\nriskClass: extreme\ndata:\n  source: { kind: file, path: nope.csv }\n  label: y\n  features: []\n');
    const r = spawnSync(process.execPath, [BIN, 'spec', 'validate', bad], { env: { PATH: process.env.PATH ?? '', MLGATE_DATA_DIR: dataDir }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/3 problem\(s\)/);
    expect(r.stderr).toMatch(/- id: use lowercase letters/);
    expect(r.stderr).toMatch(/- riskClass: /);
    expect(r.stderr).toMatch(/- data\.features: list at least one feature column/);
  });
});
