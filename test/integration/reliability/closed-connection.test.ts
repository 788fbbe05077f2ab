/**
 * A Temporal client call that is waiting to be retried when its connection is closed ends with
 * CANCELLED for its caller, instead of the SDK's retry timer throwing "Channel has been shut down"
 * as an uncaught exception later (src/temporal/connection-interceptors.ts). Real grpc-js channel,
 * a real port with nothing listening, the SDK's real retry interceptor.
 */
import { Connection } from '@temporalio/client';
import { createServer } from 'node:net';
import { temporalConnectionInterceptors } from '../../../src/temporal/connection-interceptors';

/** A port with nothing listening: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a Temporal connection closed while a call waits to be retried', () => {
  it('fails that call with CANCELLED and throws nothing from the retry timer', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const connection = Connection.lazy({ address: `127.0.0.1:${await closedPort()}`, interceptors: temporalConnectionInterceptors() });
      // UNAVAILABLE (nothing listens), which the SDK's interceptor retries after 100 ms or more.
      const call = connection.workflowService.getSystemInfo({}).then(() => null, (e: unknown) => e);
      await new Promise((r) => setTimeout(r, 30));
      await connection.close();
      expect(await call).toMatchObject({ code: 1 }); // grpc status CANCELLED
      // Give any retry timer the SDK scheduled time to fire.
      await new Promise((r) => setTimeout(r, 2_000));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
