/**
 * Hostile input at the two edges a person types into: spec files and `mlgate` arguments. Every bad
 * input gets an error that names the field or flag and what would be accepted; nothing is started.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadSpecFile } from '../../../src/cli/spec-file';
import { CliError } from '../../../src/cli/cli-error';
import { parseModelSpec } from '../../../src/domain/spec';

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'mlgate.js');
const run = promisify(execFile);

const good = () => ({
  id: 'hostile-model',
  owner: 'owner@example.com',
  riskClass: 'medium',
  data: { source: { kind: 'synthetic-credit', rows: 300 }, label: 'default', features: ['age', 'income', 'region'], categorical: ['region'] },
});
type Doc = ReturnType<typeof good> & Record<string, unknown>;

/** [title, mutation, the problem text that must name the field] */
const SPEC_CASES: Array<[string, (d: Doc) => unknown, RegExp]> = [
  ['a missing risk class', (d) => ({ ...d, riskClass: undefined }), /^riskClass: /],
  ['an unknown risk class', (d) => ({ ...d, riskClass: 'extreme' }), /^riskClass: .*"low"\|"medium"\|"high"\|"critical"/],
  ['an id with spaces and capitals', (d) => ({ ...d, id: 'My Model' }), /^id: /],
  ['the label listed as a feature', (d) => ({ ...d, data: { ...d.data, features: ['default', 'age'] } }), /^data\.features: the label column "default" must not also be a feature/],
  ['no feature columns', (d) => ({ ...d, data: { ...d.data, features: [], categorical: [] } }), /^data\.features: list at least one feature column/],
  ['a categorical column that is not a feature', (d) => ({ ...d, data: { ...d.data, categorical: ['zip'] } }), /^data\.categorical\.0: "zip" is not listed in data\.features/],
  ['an unknown data source kind', (d) => ({ ...d, data: { ...d.data, source: { kind: 'ftp', url: 'ftp://x' } } }), /^data\.source\.kind: /],
  ['canary steps that go down', (d) => ({ ...d, strategy: { kind: 'canary', steps: [50, 10, 100] } }), /^strategy\.steps\.1: steps must increase \(50 then 10\)/],
  ['a bake that is not a duration', (d) => ({ ...d, strategy: { kind: 'canary', stepBake: 'a while' } }), /^strategy\.stepBake: /],
  ['auto-approval on a medium-risk model', (d) => ({ ...d, approval: { gates: { deploy: { auto: true } } } }), /^approval\.gates\.deploy\.auto: only low-risk models may auto-approve/],
  ['a negative row count', (d) => ({ ...d, data: { ...d.data, source: { kind: 'synthetic-credit', rows: -5 } } }), /^data\.source\.rows: /],
  ['a string where an object belongs', (d) => ({ ...d, slo: 'strict' }), /^slo: /],
];

describe('hostile spec documents', () => {
  it('accepts the untouched base spec, so each case below fails for its own reason', () => {
    expect(parseModelSpec(good()).ok).toBe(true);
  });

  it.each(SPEC_CASES)('rejects %s with a problem naming the field', (_title, mutate, problem) => {
    const r = parseModelSpec(mutate(good() as Doc));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it.each([null, 42, 'id: x', [], {}])('rejects the non-spec document %p without throwing', (doc) => {
    const r = parseModelSpec(doc);
    expect(r.ok).toBe(false);
  });

  describe('spec files on disk', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-hostile-spec-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, content: string | Buffer) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    };

    it.each([
      ['broken YAML', 'bad.yaml', 'id: [unclosed\n  owner: x', /bad\.yaml: not valid YAML/],
      ['truncated JSON', 'bad.json', '{"id": "m", "owner":', /bad\.json: not valid JSON/],
      ['an empty file', 'empty.yaml', '', /empty\.yaml: the spec has \d+ problem\(s\)/],
      ['a YAML file that is a list', 'list.yaml', '- id: m\n- owner: x\n', /list\.yaml: the spec has 1 problem\(s\)/],
    ])('refuses %s with a CliError naming the file', (_t, name, content, message) => {
      const file = write(name, content);
      expect(() => loadSpecFile(file)).toThrow(CliError);
      expect(() => loadSpecFile(file)).toThrow(message);
    });

    it('lists every problem of a spec file, each on its own line under the file name', () => {
      const file = write('many.json', JSON.stringify({ ...good(), riskClass: 'extreme', strategy: { kind: 'canary', stepBake: 'soon' } }));
      const err = (() => {
        try {
          loadSpecFile(file);
        } catch (e) {
          return e as Error;
        }
        throw new Error('loadSpecFile accepted a bad spec');
      })();
      expect(err.message.split('\n')).toEqual([`${file}: the spec has 2 problem(s):`, expect.stringMatching(/^ {2}- riskClass: /), expect.stringMatching(/^ {2}- strategy\.stepBake: /)]);
    });
  });
});

/** Runs the real CLI; resolves with its exit code and output, whatever the code. */
async function mlgate(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 60_000, env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir() } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('hostile mlgate arguments (the real CLI, spawned)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-hostile-cli-'));
  const badSpec = path.join(dir, 'model.yaml');
  writeFileSync(badSpec, 'id: m\nowner: o@example.com\nriskClass: extreme\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** [args, exit code, message naming the flag or argument] */
  const CASES: Array<[string[], number, RegExp]> = [
    [['approve', 'release-x-1', '--gate', 'nope', '--as', 'a@example.com'], 2, /--gate: .*"deploy"\|"promote"/],
    [['traffic', 'm', '--rps', '-1'], 2, /--rps: use a positive number of requests per second, e\.g\. 50/],
    [['schedule', 'create', 'm', '--every', 'soon'], 2, /--every: expected a duration such as/],
    [['release', 'm', '--frobnicate'], 2, /unknown option '--frobnicate'/],
    [['spec', 'validate', badSpec], 1, /riskClass: /],
  ];
  let results: Array<Awaited<ReturnType<typeof mlgate>>>;
  // Spawned together: each start pays for tsx and the SDK imports, so in sequence they would take long.
  beforeAll(async () => {
    results = await Promise.all(CASES.map(([args]) => mlgate(args)));
  }, 120_000);

  it.each(CASES.map((c, i) => [c[0].join(' '), i] as const))('`mlgate %s` exits non-zero with one clear message and no stack trace', (_label, i) => {
    const [, code, message] = CASES[i];
    expect({ code: results[i].code, stderr: results[i].stderr }).toEqual({ code, stderr: expect.stringMatching(message) });
    expect(results[i].stderr).not.toMatch(/\n\s+at /);
  });
});
