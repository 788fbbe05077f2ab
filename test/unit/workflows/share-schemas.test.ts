/**
 * Workflows share mlgate's domain schemas frozen (src/workflows/shared-modules.ts). These check
 * that a shared, frozen schema answers exactly as an unshared one, on the real domain schemas and on
 * the zod features they use, and that what cannot be shared fails the worker's start by name.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import * as monitorSpec from '../../../src/domain/monitor/monitor-spec';
import * as release from '../../../src/domain/release';
import * as spec from '../../../src/domain/spec';
import { shareSchemas } from '../../../src/workflows/share-schemas';

const examples = readdirSync('examples')
  .filter((d) => existsSync(join('examples', d, 'model.yaml')))
  .map((d) => YAML.parse(readFileSync(join('examples', d, 'model.yaml'), 'utf8')) as Record<string, unknown>);
/** Each example, and each broken in ways that reach the regex, enum, union and default checks. */
const inputs: unknown[] = examples.flatMap((e) => [
  e,
  { ...e, id: 'Not An Id!' },
  { ...e, riskClass: 'extreme' },
  { ...e, trainer: { kind: 'no-such-trainer' } },
  { ...e, strategy: { kind: 'canary', steps: [50, 100], stepBake: 'soon' } },
  { spec: e, specDir: '/specs', requester: 'alice@example.com', codeVersion: 'abc123' },
  { spec: e, specDir: '/specs', requester: 'alice@example.com', codeVersion: 'abc123', reason: 'drift', shortSteps: 'activities' },
  { spec: { ...e, data: { ...(e.data as object), split: { kind: 'random', testFraction: 2 } } }, specDir: '' },
  undefined,
]);
const answer = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? { data: r.data } : { issues: r.error.issues.map((i) => [i.path.join('.'), i.code, i.message]) };
};

describe('sharing zod schemas frozen between workflows', () => {
  it('answers every example spec, valid and broken, exactly as before the domain schemas were frozen', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    const schemas = [spec.ModelSpecSchema, release.ReleaseInputSchema];
    const before = schemas.map((s) => inputs.map((i) => answer(s, i)));
    expect(before.flat().filter((a) => 'data' in a).length).toBeGreaterThanOrEqual(examples.length * 3);

    const shared = shareSchemas({ spec, release, monitorSpec });

    expect(shared).toBeGreaterThan(100);
    expect(Object.isFrozen(spec.ModelSpecSchema)).toBe(true);
    expect(Object.isFrozen(spec.ModelSpecSchema._zod.def)).toBe(true);
    expect(schemas.map((s) => inputs.map((i) => answer(s, i)))).toEqual(before);
  });

  it('keeps regex, email, datetime, default, discriminated-union, refine and transform checks working once frozen', () => {
    const make = () => z.object({
      id: z.string().regex(/^[a-z]+$/, 'lowercase'),
      mail: z.email(),
      at: z.iso.datetime({ offset: true }),
      n: z.number().int().default(3),
      pick: z.discriminatedUnion('k', [z.object({ k: z.literal('a') }), z.object({ k: z.literal('b'), v: z.number() })]),
      tags: z.array(z.enum(['x', 'y'])).optional(),
      even: z.number().refine((v) => v % 2 === 0, 'even'),
      upper: z.string().transform((s) => s.toUpperCase()),
      key: z.templateLiteral([z.literal('k-'), z.number()]),
    });
    const cases = [
      { id: 'abc', mail: 'a@b.co', at: '2026-01-31T12:00:00Z', pick: { k: 'b', v: 1 }, even: 2, upper: 'x', key: 'k-1' },
      { id: 'ABC', mail: 'nope', at: 'yesterday', n: 1.5, pick: { k: 'c' }, tags: ['z'], even: 3, upper: 1, key: 'k-x' },
      { id: 'abc', mail: 'a@b.co', at: '2026-01-31T12:00:00+01:00', n: 4, pick: { k: 'a' }, tags: ['x'], even: 0, upper: 'y', key: 'k-2' },
    ];
    const unshared = make();
    const frozen = make();
    shareSchemas({ m: { frozen } });
    expect(Object.isFrozen(frozen)).toBe(true);
    for (const c of cases) for (let round = 0; round < 2; round++) expect(answer(frozen, c)).toEqual(answer(unshared, c));
  });

  it('fails the start, naming the path, when a shared module holds a global RegExp that matching would write to', () => {
    expect(() => shareSchemas({ tokens: { TOKEN_RE: /t/g } })).toThrow(/tokens\.TOKEN_RE: a global or sticky RegExp/);
  });
});
