/** `mlgate cluster`: the scale-out topology as local processes (src/cluster/topology.ts), until Ctrl-C. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startCluster } from '../../cluster/topology';
import { untilSignal } from '../../workers/stack';

export function registerClusterCommands(program: Command): void {
  program
    .command('cluster')
    .description('the scale-out topology as local processes: PostgreSQL, a Temporal server on it, Prometheus, 2 workers, 2 gateways, the approvals server')
    .addHelpText('after', '\nBuild the Temporal server once first: bash scripts/bootstrap.sh --cluster (npm run cluster does both).')
    .action(async () => {
      const t0 = Date.now();
      console.log('starting PostgreSQL, the Temporal server, Prometheus, 2 gateways, the approvals server and 2 workers…');
      const cluster = await startCluster({ logLevel: 'info' });
      // The secrets stay out of the terminal: a file only this user can read, for the CLI.
      const envFile = path.join(cluster.dataDir, 'cluster.env');
      writeFileSync(envFile, `${Object.entries(cluster.env).map(([k, v]) => `export ${k}=${v}`).join('\n')}\nexport MLGATE_SERVER_URL=${cluster.server.url}\nexport MLGATE_GATEWAY_URL=${cluster.gateways[0].url}\nexport MLGATE_GATEWAY_ADMIN_URL=${cluster.gateways[0].adminUrl}\n`, { mode: 0o600 });
      const stopped = untilSignal(); // before "ready": a SIGTERM sent on reading it must reach the handler
      console.log(`mlgate cluster is ready in ${((Date.now() - t0) / 1000).toFixed(1)} s:`);
      const urls = { ...cluster.urls(), 'Settings for the CLI (source it)': envFile };
      const width = Math.max(...Object.keys(urls).map((k) => k.length));
      for (const [k, v] of Object.entries(urls)) console.log(`  ${k.padEnd(width)}  ${v}`);
      console.log('Ctrl-C stops everything (and deletes this run\'s data).');
      await stopped;
      console.log('stopping…');
      await cluster.stop();
    });
}
