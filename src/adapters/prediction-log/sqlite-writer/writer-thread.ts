/**
 * The prediction log's writer thread: all SQLite writes of answered rows happen here, off the
 * event loop that answers requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createAppend, openLogDatabase } from './append';
import { serveBatches } from './serve-batches';

export interface WriterData {
  file: string;
  /** Int32 slots COMMITTED (last committed batch number) and FAILED (1 once an append failed). */
  shared: SharedArrayBuffer;
}

const data = workerData as WriterData;
const db = openLogDatabase(data.file);
if (parentPort) serveBatches(parentPort, data.shared, createAppend(db), () => db.close());
