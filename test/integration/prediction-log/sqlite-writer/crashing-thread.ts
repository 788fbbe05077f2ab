/** The real writer loop with an append that fails, as a full disk or a corrupt file would make it. */
import { parentPort, workerData } from 'node:worker_threads';
import { serveBatches } from '../../../../src/adapters/prediction-log/sqlite-writer/serve-batches';
import type { WriterData } from '../../../../src/adapters/prediction-log/sqlite-writer/writer-thread';

const data = workerData as WriterData;
if (parentPort) serveBatches(parentPort, data.shared, () => {
  throw new Error('SQLITE_FULL: database or disk is full');
}, () => undefined);
