/**
 * One real Temporal dev server for the whole jest run (in memory, headless), started from the
 * resolved binary, never downloaded. Tests read its address from MLGATE_TEST_TEMPORAL_ADDRESS.
 */
import { startDevServer } from '../../src/temporal/dev-server';
import { freePort } from '../../src/temporal/free-port';

export default async function globalSetup(): Promise<void> {
  const port = await freePort();
  const server = await startDevServer({ port, headless: true, startTimeoutMs: 180_000 });
  process.env.MLGATE_TEST_TEMPORAL_ADDRESS = server.address;
  (globalThis as { __mlgateTemporal?: typeof server }).__mlgateTemporal = server;
}
