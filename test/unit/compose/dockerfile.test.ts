import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './compose-file';

const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
// Instructions with their arguments, continuation lines joined, comments dropped.
const instructions = dockerfile
  .replace(/\\\r?\n/g, ' ')
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op.toUpperCase(), args: rest.join(' ') };
  });
const all = (op: string) => instructions.filter((i) => i.op === op).map((i) => i.args);
const last = (op: string) => all(op).at(-1);

describe('Dockerfile', () => {
  it('builds on a pinned Node 20 bookworm-slim image in every stage', () => {
    const froms = all('FROM');
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(from).toMatch(/^node:20\.\d+\.\d+-bookworm-slim(\s+AS\s+\S+)?$/i);
  });

  it('installs dependencies from the lockfile with npm ci', () => {
    expect(all('COPY')).toContainEqual(expect.stringMatching(/package-lock\.json/));
    expect(all('RUN').join('\n')).toMatch(/npm ci\b/);
  });

  it('runs as a non-root user with the mlgate CLI as its entrypoint', () => {
    expect(last('USER')).toBeDefined();
    expect(last('USER')).not.toMatch(/^(root|0)(:|$)/);
    expect(JSON.parse(last('ENTRYPOINT') ?? 'null')).toEqual(['node', 'bin/mlgate.js']);
    expect(existsSync(path.join(REPO_ROOT, 'bin/mlgate.js'))).toBe(true);
  });

  it('copies only paths that exist in the repository', () => {
    const sources = all('COPY')
      .filter((args) => !args.startsWith('--from='))
      .flatMap((args) => args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));
    expect(sources.filter((src) => !existsSync(path.join(REPO_ROOT, src)))).toEqual([]);
  });

  it('keeps host installs, caches, local data and secrets out of the build context', () => {
    const ignored = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split(/\r?\n/).map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.cache', '.mlgate', 'dist', '.env']));
  });
});
