/**
 * The on-disk snapshot layout: `<dataDir>/snapshots/<id>/{train.jsonl, test.jsonl, manifest.json,
 * reference-stats.json}`. Rows are stored as canonical JSON, one per line, so the bytes (and the
 * id) depend only on content.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Row } from '../../domain/model/bundle';
import type { Split } from '../../domain/spec';
import { notFound } from './failures';

export interface SnapshotManifest {
  format: 'mlgate-snapshot/v1';
  snapshotId: string;
  sha256: string;
  model: string;
  source: string;
  split: Split;
  label: string;
  features: string[];
  categorical: string[];
  pii: Array<{ column: string; action: 'drop' | 'hash' }>;
  columns: string[];
  trainRows: number;
  testRows: number;
  trainSha256: string;
  testSha256: string;
  /** Time splits: newest training time and oldest test time; trainMax <= testMin always holds. */
  boundary?: { column: string; trainMax: string | number; testMin: string | number };
  /** Production rows labelled by people (review queue, feedback), added to the training split. */
  feedbackRows?: number;
  createdAt: string;
}

export interface SnapshotRef {
  snapshotId: string;
  sha256: string;
  trainRows: number;
  testRows: number;
  boundary?: SnapshotManifest['boundary'];
  /** True when an identical snapshot already existed and nothing was written. */
  reused: boolean;
  path: string;
}

export const snapshotsDir = (dataDir: string) => path.join(dataDir, 'snapshots');
export const snapshotDir = (dataDir: string, id: string) => path.join(snapshotsDir(dataDir), id);

const SNAPSHOT_ID = /^snap-[0-9a-f]{16}$/;

function parseJsonl(text: string): Row[] {
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Row);
}

export async function readSnapshot(dataDir: string, id: string): Promise<{ manifest: SnapshotManifest; train: Row[]; test: Row[] }> {
  const dir = snapshotDir(dataDir, id);
  if (!SNAPSHOT_ID.test(id) || !existsSync(path.join(dir, 'manifest.json'))) throw notFound(`snapshot "${id}" not found in ${snapshotsDir(dataDir)}; run snapshotDataset first`);
  const [manifest, train, test] = await Promise.all([
    readFile(path.join(dir, 'manifest.json'), 'utf8').then((t) => JSON.parse(t) as SnapshotManifest),
    readFile(path.join(dir, 'train.jsonl'), 'utf8').then(parseJsonl),
    readFile(path.join(dir, 'test.jsonl'), 'utf8').then(parseJsonl),
  ]);
  return { manifest, train, test };
}
