/**
 * One real Temporal dev server for the whole jest run (in memory, headless), started from the
 * resolved binary, never downloaded. Tests read its address from MLGATE_TEST_TEMPORAL_ADDRESS.
 */
import { startDevServer } from '../../src/temporal/dev-server';
import { freePort } from '../../src/temporal/free-port';
import { resolveTemporalBinary } from '../../src/temporal/binaries';

/** The Temporal CLI, resolved from this process's environment (tests and benches are edges). */
const temporalCli = () => resolveTemporalBinary('cli', { env: process.env }).path;

export default async function globalSetup(): Promise<void> {
  const port = await freePort();
  const server = await startDevServer({ binaryPath: temporalCli(), port, headless: true, startTimeoutMs: 180_000 });
  process.env.MLGATE_TEST_TEMPORAL_ADDRESS = server.address;
  (globalThis as { __mlgateTemporal?: typeof server }).__mlgateTemporal = server;
}
