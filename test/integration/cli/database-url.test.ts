/**
 * MLGATE_DATABASE_URL that PostgreSQL will not accept, for the pieces that now keep state there
 * besides the worker: the gateway (routing, prediction log), the CLI's approvals-store commands and
 * `mlgate migrate`. Each stops with one line naming the setting, the password hidden, and starts
 * nothing. The real `mlgate` binary.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runMlgate } from '../../helpers/mlgate-cli';

const dataDir = mkdtempSync(path.join(tmpdir(), 'mlgate-dburl-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const UNREACHABLE = 'postgres://mlgate:s3cret@127.0.0.1:9/mlgate';
const LINE = /^mlgate: cannot use PostgreSQL at postgres:\/\/mlgate:\*\*\*@127\.0\.0\.1:9\/mlgate \(.*\); check MLGATE_DATABASE_URL$/;

const cli = (args: string[]) => runMlgate(args, dataDir, { MLGATE_DATABASE_URL: UNREACHABLE });

describe('an unusable MLGATE_DATABASE_URL', () => {
  it.each([
    ['mlgate gateway', ['gateway']],
    ['mlgate token create', ['token', 'create', 'alice@example.com']],
    ['mlgate migrate', ['migrate']],
  ])('stops %s with exit 2 and one line naming the setting, without the password', async (_name, args) => {
    const r = await cli(args);
    expect({ status: r.status, stdout: r.stdout, leaks: r.stderr.includes('s3cret') }).toEqual({ status: 2, stdout: '', leaks: false });
    expect(r.stderr.trim()).toMatch(LINE);
  }, 150_000);
});
