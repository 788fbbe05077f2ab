/**
 * MLGATE_DATABASE_URL that PostgreSQL will not accept, for the pieces that now keep state there
 * besides the worker: the gateway (routing) and the CLI's approvals-store commands. Each stops with
 * one line naming the setting, the password hidden, and starts nothing. The real `mlgate` binary.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../../bin/mlgate.js');
const dataDir = mkdtempSync(path.join(tmpdir(), 'mlgate-dburl-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const UNREACHABLE = 'postgres://mlgate:s3cret@127.0.0.1:9/mlgate';
const LINE = /^mlgate: cannot use PostgreSQL at postgres:\/\/mlgate:\*\*\*@127\.0\.0\.1:9\/mlgate \(.*\); check MLGATE_DATABASE_URL$/;

function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '', MLGATE_DATA_DIR: dataDir, MLGATE_ADMIN_TOKEN: 'a'.repeat(32), MLGATE_APPROVAL_SECRET: 'b'.repeat(32), MLGATE_PII_SALT: 'c'.repeat(32),
    MLGATE_DATABASE_URL: UNREACHABLE,
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

describe('an unusable MLGATE_DATABASE_URL', () => {
  it.each([
    ['mlgate gateway', ['gateway']],
    ['mlgate token create', ['token', 'create', 'alice@example.com']],
  ])('stops %s with exit 2 and one line naming the setting, without the password', async (_name, args) => {
    const r = await cli(args);
    expect({ status: r.status, stdout: r.stdout, leaks: r.stderr.includes('s3cret') }).toEqual({ status: 2, stdout: '', leaks: false });
    expect(r.stderr.trim()).toMatch(LINE);
  }, 150_000);
});
