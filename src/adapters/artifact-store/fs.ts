/**
 * Filesystem artifact store: `<root>/<artifactId>/{bundle.json, manifest.json, train.log}`.
 * Writes go to a temp folder that is renamed into place, so a crash never leaves half an artifact,
 * and an existing artifact is never rewritten.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { canonicalJson } from '../../domain/canonical-json';
import { ErrorType, formatIssues } from '../../domain/errors';
import { ArtifactBundleSchema, MODEL_FILE, type ArtifactBundle } from '../../domain/model/artifact-bundle';
import { ARTIFACT_ID_PATTERN, type ArtifactManifest, type ArtifactStore } from '../../ports/artifact-store';

export interface FsArtifactStoreOptions {
  /** Folder holding one sub-folder per artifact. Created if missing. */
  root: string;
}

export function artifactIdOf(bundle: ArtifactBundle): { artifactId: string; sha256: string } {
  const sha256 = createHash('sha256').update(canonicalJson(bundle)).digest('hex');
  return { artifactId: `art-${sha256.slice(0, 16)}`, sha256 };
}

async function writeAtomically(root: string, finalDir: string, files: Record<string, string | Uint8Array>): Promise<boolean> {
  await mkdir(root, { recursive: true });
  const tmp = await mkdtemp(path.join(root, '.tmp-'));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(tmp, name), content);
  try {
    await rename(tmp, finalDir);
    return true;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    // A concurrent writer of the same content won the race: the content is identical, so reuse it.
    if (existsSync(path.join(finalDir, 'bundle.json'))) return false;
    throw err;
  }
}

/** The model file an ONNX bundle names, checked against its sha256 and size; nothing for other formats. */
function modelFileOf(bundle: ArtifactBundle, bytes: Uint8Array | undefined): Record<string, Uint8Array> {
  if (bundle.format !== 'onnx/v1') return {};
  const invalid = (message: string) => ApplicationFailure.create({ type: ErrorType.TrainerFailed, nonRetryable: true, message });
  if (!bytes) throw invalid(`an onnx/v1 bundle needs its ${MODEL_FILE}`);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== bundle.model.sha256 || bytes.length !== bundle.model.bytes) {
    throw invalid(`${MODEL_FILE} does not match the manifest: sha256 ${sha.slice(0, 12)}… and ${bytes.length} bytes, the manifest says ${bundle.model.sha256.slice(0, 12)}… and ${bundle.model.bytes}`);
  }
  return { [MODEL_FILE]: bytes };
}

export function createFsArtifactStore(options: FsArtifactStoreOptions): ArtifactStore {
  const { root } = options;
  const location = (id: string) => {
    if (!ARTIFACT_ID_PATTERN.test(id)) throw ApplicationFailure.create({ type: ErrorType.InvalidInput, nonRetryable: true, message: `artifact id "${id}" is malformed; expected art-<16 hex>` });
    return path.join(root, id);
  };
  const readJson = async (id: string, name: string): Promise<unknown> => {
    const file = path.join(location(id), name);
    if (!existsSync(file)) throw ApplicationFailure.create({ type: ErrorType.NotFound, nonRetryable: true, message: `artifact ${id} not found in ${root}` });
    return JSON.parse(await readFile(file, 'utf8'));
  };
  return {
    location,
    has: async (id) => existsSync(path.join(location(id), 'bundle.json')),
    async put({ bundle, modelFile, lineage, trainLog }) {
      const parsed = ArtifactBundleSchema.parse(bundle);
      const model = modelFileOf(parsed, modelFile);
      const { artifactId, sha256 } = artifactIdOf(parsed);
      const dir = location(artifactId);
      if (existsSync(path.join(dir, 'bundle.json'))) return { artifactId, sha256, reused: true };
      const manifest: ArtifactManifest = { artifactId, sha256, lineage };
      const wrote = await writeAtomically(root, dir, {
        'bundle.json': canonicalJson(parsed), 'manifest.json': JSON.stringify(manifest, null, 2), 'train.log': trainLog, ...model,
      });
      return { artifactId, sha256, reused: !wrote };
    },
    async readFile(id, name) {
      const file = path.join(location(id), path.basename(name));
      if (!existsSync(file)) throw ApplicationFailure.create({ type: ErrorType.NotFound, nonRetryable: true, message: `artifact ${id} has no ${name}` });
      return readFile(file);
    },
    async get(id) {
      const r = ArtifactBundleSchema.safeParse(await readJson(id, 'bundle.json'));
      if (!r.success) throw ApplicationFailure.create({ type: ErrorType.TrainerFailed, nonRetryable: true, message: `artifact ${id}: bundle.json is invalid: ${formatIssues(r.error.issues).join('; ')}` });
      return r.data;
    },
    manifest: async (id) => (await readJson(id, 'manifest.json')) as ArtifactManifest,
    async attach({ artifactId, name, content }) {
      if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name) || ['bundle.json', 'manifest.json', 'train.log', MODEL_FILE].includes(name)) {
        throw ApplicationFailure.create({ type: ErrorType.InvalidInput, nonRetryable: true, message: `attachment name "${name}" is not allowed` });
      }
      const file = path.join(location(artifactId), name);
      // Unique per write: two releases can attach to the same (content-addressed) artifact at once in one process.
      const tmp = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
      await writeFile(tmp, content);
      await rename(tmp, file);
      return file;
    },
  };
}
