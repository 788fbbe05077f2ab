import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporalAddress, unique } from '../../helpers/temporal';
import { connectTemporal } from '../../../src/temporal/connection-interceptors';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/mlgate.js');

describe('mlgate schedule against a real Temporal server', () => {
  let dir: string;
  let connection: Connection;
  let client: Client;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-schedule-'));
    connection = await connectTemporal({ address: temporalAddress() });
    client = new Client({ connection });
  });
  afterAll(async () => {
    await connection?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '', MLGATE_TEMPORAL_ADDRESS: temporalAddress(), MLGATE_DATA_DIR: dir, MLGATE_USER: 'scheduler@example.com' } });

  it('creates a periodic retrain schedule that skips overlaps, lists it, pauses and deletes it', async () => {
    const model = unique('sched');
    const spec = readFileSync(path.join(ROOT, 'examples/credit-risk/model.yaml'), 'utf8').replace(/^id: .*$/m, `id: ${model}`);
    const file = path.join(dir, 'model.yaml');
    writeFileSync(file, spec);

    const created = cli('schedule', 'create', file, '--every', '1d');
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(new RegExp(`schedule retrain-${model}: a release of ${model} every 1d`));
    const d = await client.schedule.getHandle(`retrain-${model}`).describe();
    expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(d.spec.intervals?.[0].every).toBe(86_400_000);
    expect(d.action.type).toBe('startWorkflow');

    expect(cli('schedule', 'list').stdout).toMatch(new RegExp(`retrain-${model}\\s+active`));
    expect(cli('schedule', 'pause', model).status).toBe(0);
    expect((await client.schedule.getHandle(`retrain-${model}`).describe()).state.paused).toBe(true);
    expect(cli('schedule', 'delete', model).status).toBe(0);
    await expect(client.schedule.getHandle(`retrain-${model}`).describe()).rejects.toThrow(/not found/i);
  });

  it('refuses an interval that is not a duration, naming the flag', () => {
    const r = cli('schedule', 'create', path.join(ROOT, 'examples/credit-risk/model.yaml'), '--every', 'daily');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--every: expected a duration such as "500ms", "10s", "5m", "24h" or "7d"/);
  });
});
