/**
 * `mlgate dev`: the embedded stack in one process tree — Temporal dev server (SQLite file in the
 * data folder, UI on), SMTP catcher with a web mailbox, gateway, approvals server and worker.
 * Stops everything, in reverse order, on SIGINT/SIGTERM.
 */
import path from 'node:path';
import type { Config } from '../config/env';
import { resolveSecrets, type Secrets } from '../config/secrets';
import { resolveTemporalBinary } from '../temporal/binaries';
import { startDevServer } from '../temporal/dev-server';
import { createLogger, startApprovalsServer, startGateway, startMailCatcher, startWorker, type ApprovalsServerExtras, type Running } from './components';

export interface DevStack {
  address: string;
  urls: Record<string, string>;
  secrets: Secrets;
  stop(): Promise<void>;
}

async function startTemporal(config: Config): Promise<Running & { address: string }> {
  if (config.MLGATE_TEMPORAL_ADDRESS) return { name: 'temporal', address: config.MLGATE_TEMPORAL_ADDRESS, urls: { 'Temporal (configured)': config.MLGATE_TEMPORAL_ADDRESS }, stop: async () => undefined };
  const server = await startDevServer({
    binaryPath: resolveTemporalBinary('cli', { env: { MLGATE_TEMPORAL_CLI: config.MLGATE_TEMPORAL_CLI, PATH: config.systemPath } }).path,
    dbFile: path.join(config.dataDir, 'temporal', 'temporal.db'),
    port: config.MLGATE_TEMPORAL_PORT,
    uiPort: config.MLGATE_TEMPORAL_UI_PORT,
    namespace: config.MLGATE_TEMPORAL_NAMESPACE,
    logFile: path.join(config.dataDir, 'temporal', 'server.log'),
  });
  return { name: 'temporal', address: server.address, urls: { 'Temporal UI': server.uiUrl ?? '', 'Temporal frontend': server.address }, stop: () => server.stop() };
}

export async function startDevStack(config: Config, server: Omit<ApprovalsServerExtras, 'devSignIn'> = {}): Promise<DevStack> {
  const secrets = resolveSecrets(config, { generate: true });
  const logger = createLogger(config);
  const started: Running[] = [];
  const stop = async () => {
    for (const part of started.reverse()) await part.stop();
  };
  try {
    const temporal = await startTemporal(config);
    started.push(temporal);
    const mail = await startMailCatcher(config);
    if (mail) started.push(mail);
    started.push(await startGateway(config, secrets, logger));
    started.push(await startApprovalsServer(config, secrets, temporal.address, logger, { ...server, devSignIn: true }));
    started.push(await startWorker(config, secrets, temporal.address));
  } catch (err) {
    await stop();
    throw err;
  }
  const urls = Object.assign({}, ...started.map((s) => s.urls)) as Record<string, string>;
  return { address: started[0] ? (started[0] as Running & { address: string }).address : '', urls, secrets, stop };
}

/** Resolves when the process is asked to stop; a second Ctrl-C exits at once. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      process.once(sig, () => process.exit(130));
      resolve(sig);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
