import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENV_VARIABLES } from '../../src/config/env';

const ROOT = path.resolve(__dirname, '../..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README stays true', () => {
  it('documents every environment variable the code reads', () => {
    const missing = ENV_VARIABLES.filter((v) => !readme.includes(`\`${v}\``));
    expect(missing).toEqual([]);
  });

  it('names the test command that .ci/run calls, and the start command that package.json defines', () => {
    const ci = readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(ci).toMatch(/^npm test$/m);
    expect(readme).toContain('`npm test`');
    expect(readme).toContain('`npm start`');
    expect(pkg.scripts.start).toContain('mlgate.js dev --demo');
  });
});
