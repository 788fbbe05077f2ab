/**
 * The writer thread's loop: append each batch, then publish its number in the shared counter so
 * that a reader blocked in `sync()` wakes. A failed append raises the failure flag first: the
 * reader is blocked (it cannot receive the thread's error event), so the flag is how it learns to
 * write the batches itself instead of waiting for a thread that will never commit them.
 */
import type { MessagePort } from 'node:worker_threads';
import type { PendingBatch } from '../pending-batch';

/** Int32 slots of the shared counter. */
export const COMMITTED = 0;
export const FAILED = 1;

export interface WriterBatch {
  n: number;
  batch: PendingBatch;
}

export function serveBatches(port: MessagePort, shared: SharedArrayBuffer, append: (batch: PendingBatch) => void, close: () => void): void {
  const counter = new Int32Array(shared);
  port.on('message', (m: WriterBatch | 'close') => {
    if (m === 'close') {
      close();
      port.close();
      return;
    }
    try {
      append(m.batch);
    } catch (err) {
      Atomics.store(counter, FAILED, 1);
      Atomics.notify(counter, COMMITTED);
      throw err;
    }
    Atomics.store(counter, COMMITTED, m.n);
    Atomics.notify(counter, COMMITTED);
  });
}
