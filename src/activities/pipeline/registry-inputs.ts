/**
 * Zod schemas of the registry activities' inputs: workflow input is an edge, so a malformed id
 * fails fast with InvalidInput naming the field, and nothing is written.
 */
import { z } from 'zod';
import { formatIssues } from '../../domain/errors';
import { invalidInput } from './failures';

const ArtifactId = z.string().regex(/^art-[0-9a-f]{16}$/, 'expected an artifact id such as art-0123456789abcdef');
const Model = z.string().min(1, 'name the model');
const ReleaseId = z.string().min(1, 'name the release (e.g. release-<model>-<n>)');

export const LockInputSchema = z.object({ model: Model, releaseId: ReleaseId });
export const ModelInputSchema = z.object({ model: Model });

export const AliasActivityInputSchema = z.object({
  model: Model,
  releaseId: ReleaseId,
  artifactId: ArtifactId,
  actor: z.string().min(1).optional(),
  reason: z.string().optional(),
});

export const VersionInputSchema = z.object({
  model: Model,
  releaseId: ReleaseId,
  artifactId: ArtifactId,
  snapshotId: z.string().regex(/^snap-[0-9a-f]{16}$/, 'expected a snapshot id such as snap-0123456789abcdef'),
  codeVersion: z.string().min(1, 'record the code version (e.g. a git sha)'),
  trainer: z.string().min(1),
  algorithm: z.string().min(1),
  params: z.record(z.string(), z.unknown()),
  seed: z.number().int().nonnegative(),
  metrics: z.record(z.string(), z.number()),
  modelCardPath: z.string().optional(),
});

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, activity: string): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw invalidInput(`${activity}: ${formatIssues(r.error.issues).join('; ')}`);
  return r.data;
}
