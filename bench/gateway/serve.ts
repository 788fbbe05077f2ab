/**
 * Child process for the benchmark: runs a real gateway in its own process, so the load generator
 * does not share the gateway's event loop. Receives { token, stateDir, databaseUrl? } over IPC, answers
 * with the URLs. With databaseUrl the prediction log is PostgreSQL's (as with MLGATE_DATABASE_URL).
 */
import { openPostgresPredictionLog } from '../../src/adapters/prediction-log/postgres';
import { createGateway } from '../../src/gateway';
import { BENCH_BUNDLES } from './bench-model';
import { installProbe } from '../shared/child-probe';

installProbe();

process.once('message', (msg: { token: string; stateDir: string; databaseUrl?: string }) => {
  const { databaseUrl } = msg;
  const gateway = createGateway({
    adminToken: msg.token,
    stateDir: msg.stateDir,
    ...(databaseUrl ? { openPredictionLog: () => openPostgresPredictionLog({ url: databaseUrl }) } : {}),
    loadBundle: async (id) => {
      const b = BENCH_BUNDLES[id];
      if (!b) throw new Error(`unknown bench artifact ${id}`);
      return b;
    },
  });
  gateway.start().then(
    (urls) => process.send?.(urls),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
  process.once('disconnect', () => void gateway.stop().then(() => process.exit(0)));
});
