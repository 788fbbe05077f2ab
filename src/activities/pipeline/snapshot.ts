/**
 * snapshotDataset: source -> PII rules -> deterministic split -> canonical JSONL -> sha256 id.
 * Written to a temp folder and renamed into place, so a crash never leaves half a snapshot;
 * an existing snapshot with the same id is reused and never rewritten.
 */
import { createHash, createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from '../../domain/canonical-json';
import { referenceStats } from '../../domain/data/reference-stats';
import { splitRows, SplitError } from '../../domain/data/split';
import type { Row } from '../../domain/model/bundle';
import type { ModelSpec } from '../../domain/spec';
import { dataError, requireSpec } from './failures';
import { readLabelledRows } from './feedback-rows';
import type { PipelineLog } from './pipeline-log';
import { readSourceRows } from './read-source';
import { snapshotDir, snapshotsDir, type SnapshotManifest, type SnapshotRef } from './snapshot-files';

export interface SnapshotDeps {
  dataDir: string;
  piiSalt: string;
  now: () => Date;
  log: PipelineLog;
}

export interface SnapshotInput {
  spec: ModelSpec;
  /** Folder of the spec file; file sources are relative to it. */
  specDir: string;
}

export function applyPii(rows: Row[], spec: ModelSpec, salt: string): Row[] {
  const rules = spec.data.pii;
  if (rules.length === 0) return rows;
  rules.forEach((r, i) => {
    if (rows.length && !(r.column in rows[0])) throw dataError(`data.pii.${i}: column "${r.column}" is not in the data; fix the column name or remove the rule`);
  });
  return rows.map((row) => {
    const out: Row = { ...row };
    for (const r of rules) {
      if (r.action === 'drop') delete out[r.column];
      else out[r.column] = createHmac('sha256', salt).update(String(row[r.column] ?? '')).digest('hex');
    }
    return out;
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const toJsonl = (rows: Row[]) => rows.map((r) => `${canonicalJson(r)}\n`).join('');

function split(rows: Row[], spec: ModelSpec) {
  try {
    return splitRows(rows, spec.data.split);
  } catch (err) {
    if (err instanceof SplitError) throw dataError(`data.split: ${err.message}`);
    throw err;
  }
}

async function writeSnapshot(dataDir: string, id: string, files: Record<string, string>): Promise<boolean> {
  await mkdir(snapshotsDir(dataDir), { recursive: true });
  const tmp = await mkdtemp(path.join(snapshotsDir(dataDir), '.tmp-'));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(tmp, name), content);
  try {
    await rename(tmp, snapshotDir(dataDir, id));
    return true;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (existsSync(path.join(snapshotDir(dataDir, id), 'manifest.json'))) return false; // a concurrent run wrote the same content
    throw err;
  }
}

export function createSnapshotDataset(deps: SnapshotDeps) {
  return async function snapshotDataset(input: SnapshotInput): Promise<SnapshotRef> {
    const spec = requireSpec(input.spec);
    const { source, rows } = await readSourceRows(spec, input.specDir);
    const { train: sourceTrain, test, boundary } = split(applyPii(rows, spec, deps.piiSalt), spec);
    const feedback = await readLabelledRows(deps.dataDir, spec);
    const train = [...sourceTrain, ...feedback];
    if (train.length === 0) throw dataError(`data.split: the training set is empty (${rows.length} rows); add rows or lower testFraction`);
    if (test.length === 0) throw dataError(`data.split: the test set is empty (${rows.length} rows); add rows or raise testFraction`);
    const trainText = toJsonl(train);
    const testText = toJsonl(test);
    const content = { format: 'mlgate-snapshot/v1', split: spec.data.split, train: sha256(trainText), test: sha256(testText) };
    const hash = sha256(canonicalJson(content));
    const snapshotId = `snap-${hash.slice(0, 16)}`;
    const dir = snapshotDir(deps.dataDir, snapshotId);
    const ref = { snapshotId, sha256: hash, trainRows: train.length, testRows: test.length, ...(boundary ? { boundary } : {}), path: dir };
    if (existsSync(path.join(dir, 'manifest.json'))) {
      deps.log('snapshot reused', { snapshotId, model: spec.id });
      return { ...ref, reused: true };
    }
    const manifest: SnapshotManifest = {
      format: 'mlgate-snapshot/v1', snapshotId, sha256: hash, model: spec.id, source, split: spec.data.split,
      label: spec.data.label, features: spec.data.features, categorical: spec.data.categorical, pii: spec.data.pii,
      columns: Object.keys(train[0] ?? test[0]).sort(), trainRows: train.length, testRows: test.length,
      trainSha256: content.train, testSha256: content.test, ...(boundary ? { boundary } : {}), feedbackRows: feedback.length, createdAt: deps.now().toISOString(),
    };
    const stats = referenceStats(train, spec.data.features, spec.data.categorical);
    const wrote = await writeSnapshot(deps.dataDir, snapshotId, {
      'train.jsonl': trainText, 'test.jsonl': testText, 'manifest.json': JSON.stringify(manifest, null, 2), 'reference-stats.json': JSON.stringify(stats),
    });
    deps.log('snapshot written', { snapshotId, model: spec.id, trainRows: train.length, testRows: test.length });
    return { ...ref, reused: !wrote };
  };
}
