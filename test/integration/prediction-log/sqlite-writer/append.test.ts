/**
 * The log's append against a real SQLite file: a batch larger than one multi-row INSERT is written
 * whole, in the order it was answered, and appending it again (a writer that crashed after the
 * commit but before it said so) stores no row twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppend, openLogDatabase, PREDICTIONS_DDL } from '../../../../src/adapters/prediction-log/sqlite-writer/append';
import { batchOf, type PendingRow } from '../../../helpers/pending-rows';

const rows = (from: number, n: number): PendingRow[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `p-${String(from + i).padStart(4, '0')}`, model: 'm', version: 'v1', at: from + i, label: (from + i) % 2 ? 'yes' : 'no',
    score: (from + i) / 1000, confidence: 0.5 + (from + i) / 2000, inputs: JSON.stringify({ x: from + i }), review: (from + i) % 7 === 0,
  }));

describe('prediction log append', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-append-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a 150-row batch whole and in batch order, every column as given, and stores no row twice when a batch is appended again', () => {
    const db = openLogDatabase(path.join(dir, 'predictions.sqlite'));
    db.exec(PREDICTIONS_DDL);
    const append = createAppend(db);
    const first = batchOf(rows(0, 150));
    append(first);
    append(first);
    append(batchOf(rows(140, 20)));
    const stored = db.prepare('SELECT id, model, version, at, label, score, confidence, inputs FROM predictions ORDER BY seq').all();
    expect(stored).toEqual(rows(0, 160).map(({ review: _review, ...r }) => r));
    const queued = db.prepare('SELECT prediction_id AS id FROM review ORDER BY prediction_id').all() as Array<{ id: string }>;
    expect(queued.map((r) => r.id)).toEqual(rows(0, 160).filter((r) => r.review).map((r) => r.id));
    db.close();
  });
});
