/**
 * Child process for the benchmark: runs a real gateway in its own process, so the load generator
 * does not share the gateway's event loop. Receives { token, stateDir } over IPC, answers with the URLs.
 */
import { createGateway } from '../../src/gateway';
import { BENCH_BUNDLES } from './bench-model';

process.once('message', (msg: { token: string; stateDir: string }) => {
  const gateway = createGateway({
    adminToken: msg.token,
    stateDir: msg.stateDir,
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
