/**
 * The test-set score reference beside an artifact (`score-reference.json`): written once by the
 * evaluation, read by the monitor. Read through the artifact store port and validated with zod.
 */
import { ErrorType, formatIssues } from '../domain/errors';
import { SCORE_REFERENCE_FILE, ScoreReferenceSchema, type ScoreReference } from '../domain/drift/score-reference';
import type { ArtifactStore } from '../ports/artifact-store';

export type ScoreReferenceRead =
  | { status: 'found'; reference: ScoreReference }
  /** Artifacts evaluated before the reference was kept have none. */
  | { status: 'missing' }
  | { status: 'invalid'; reason: string };

const isNotFound = (err: unknown) => typeof err === 'object' && err !== null && (err as { type?: unknown }).type === ErrorType.NotFound;

export async function readScoreReference(store: ArtifactStore, artifactId: string): Promise<ScoreReferenceRead> {
  let text: string;
  try {
    text = (await store.readFile(artifactId, SCORE_REFERENCE_FILE)).toString('utf8');
  } catch (err) {
    if (isNotFound(err)) return { status: 'missing' };
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { status: 'invalid', reason: `${SCORE_REFERENCE_FILE} of ${artifactId} is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const parsed = ScoreReferenceSchema.safeParse(json);
  if (!parsed.success) return { status: 'invalid', reason: `${SCORE_REFERENCE_FILE} of ${artifactId} is invalid: ${formatIssues(parsed.error.issues).join('; ')}` };
  return { status: 'found', reference: parsed.data };
}

/**
 * Writes the reference unless a valid one is already there: like the artifact, its reference never
 * changes once evaluated (the monitor caches it per artifact id). An invalid file is replaced.
 */
export async function writeScoreReferenceOnce(store: ArtifactStore, reference: ScoreReference): Promise<void> {
  if ((await readScoreReference(store, reference.artifactId)).status === 'found') return;
  await store.attach({ artifactId: reference.artifactId, name: SCORE_REFERENCE_FILE, content: JSON.stringify(reference) });
}
