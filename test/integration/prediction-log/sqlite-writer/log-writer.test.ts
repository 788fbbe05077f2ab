/**
 * The prediction log's writer thread against real SQLite files: rows handed over are on disk when
 * sync() returns, and a writer thread that dies loses nothing (the serving thread writes its
 * uncommitted batches and every later one itself). The adapter's behaviour is in the contract suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLogDatabase, PREDICTIONS_DDL } from '../../../../src/adapters/prediction-log/sqlite-writer/append';
import { batchOf, type PendingRow } from '../../../helpers/pending-rows';
import { startLogWriter } from '../../../../src/adapters/prediction-log/sqlite-writer/writer';

const rows = (from: number, n: number): PendingRow[] =>
  Array.from({ length: n }, (_, i) => ({ id: `p-${from + i}`, model: 'm', version: 'v1', at: 1, label: '1', score: 0.9, confidence: 0.9, inputs: '{"x":1}', review: (from + i) % 10 === 0 }));

describe('prediction log writer thread', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-logwriter-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = () => {
    const file = path.join(dir, 'predictions.sqlite');
    const db = openLogDatabase(file);
    db.exec(PREDICTIONS_DDL);
    return { file, db, count: (t = 'predictions') => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n };
  };

  it('has every batch handed over committed when sync returns, review rows included', async () => {
    const { file, db, count } = open();
    const writer = startLogWriter({ file, db });
    for (let b = 0; b < 20; b++) writer.send(batchOf(rows(b * 50, 50)));
    writer.sync();
    expect({ predictions: count(), review: count('review') }).toEqual({ predictions: 1000, review: 100 });
    await writer.close();
    db.close();
  });

  it('loses no row when the writer thread fails to append: the serving thread writes what it had not committed, and every later batch', async () => {
    const { file, db, count } = open();
    const writer = startLogWriter({ file, db, threadFile: path.join(__dirname, 'crashing-thread.ts') });
    writer.send(batchOf(rows(0, 100)));
    writer.sync();
    writer.send(batchOf(rows(100, 100)));
    writer.sync();
    expect(count()).toBe(200);
    await writer.close();
    db.close();
  });
});
