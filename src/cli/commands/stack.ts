/** `mlgate dev|worker|gateway|server`: run the embedded stack, or one piece of it for scale-out. */
import type { Command } from 'commander';
import { z } from 'zod';
import { resolveSecrets } from '../../config/secrets';
import { createLogger, startApprovalsServer, startGateway, startWorker, type Running } from '../../workers/components';
import { startDevStack, untilSignal } from '../../workers/stack';
import { CliError } from '../cli-error';
import { prepareTemporal, TemporalSetupError } from '../../temporal/prepare-temporal';
import { checkPrometheus } from '../../adapters/metrics-source/prometheus';
import { redactDatabaseUrl } from '../../adapters/postgres/migrate';
import { migrateDatabase } from '../../workers/database';
import { codeVersion, config } from '../context';
import type { Config } from '../../config/env';
import type { ModelSpec } from '../../domain/spec';
import { runDemo } from '../demo';
import { parseArgs } from '../options';
import { loadSpecFile, resolveSpecPath } from '../spec-file';

/** The console starts releases from the specs under MLGATE_MODELS_DIR, as `mlgate release <model>` does. */
function consoleSpecs(cfg: Config): { loadSpec: (model: string) => { spec: ModelSpec; dir: string }; codeVersion: string } {
  return { loadSpec: (model) => loadSpecFile(resolveSpecPath(model, cfg.MLGATE_MODELS_DIR)), codeVersion: codeVersion(cfg) };
}

function printUrls(urls: Record<string, string>): void {
  const width = Math.max(...Object.keys(urls).map((k) => k.length));
  for (const [k, v] of Object.entries(urls)) console.log(`  ${k.padEnd(width)}  ${v}`);
}

async function runUntilSignal(part: Running): Promise<void> {
  // The signal handlers go in before "ready" is printed: a supervisor that sends SIGTERM as soon as
  // it reads that line must reach the handler, not the default action (which kills the process).
  const stopped = untilSignal();
  printUrls(part.urls);
  console.log(`mlgate ${part.name} ready. Ctrl-C stops it.`);
  await stopped;
  await part.stop();
}

/** Checks the configured cluster and registers missing search attributes before anything starts; one line and exit 2 when it cannot be used. */
async function prepareCluster(address: string, namespace: string): Promise<void> {
  try {
    const { registered } = await prepareTemporal({ address, namespace, connection: config().temporalConnection });
    if (registered.length > 0) console.log(`registered search attributes on ${address} (namespace ${namespace}): ${registered.join(', ')}`);
  } catch (err) {
    if (err instanceof TemporalSetupError) throw new CliError(err.message, 2);
    throw err;
  }
}

/**
 * Before a worker starts: Prometheus must answer (MLGATE_METRICS_SOURCE=prometheus) and PostgreSQL accept us (MLGATE_DATABASE_URL),
 * with mlgate's schema current: missing migrations are applied here (the servers auto-migrate), and a role that may not
 * create tables stops with one line offering `mlgate migrate`. The approvals server and the gateway need only the database.
 */
async function requireBackends({ prometheus = true } = {}): Promise<void> {
  const cfg = config();
  const [promProblem, db] = await Promise.all([
    prometheus && cfg.MLGATE_METRICS_SOURCE === 'prometheus' && cfg.MLGATE_PROMETHEUS_URL ? checkPrometheus(cfg.MLGATE_PROMETHEUS_URL) : null,
    cfg.MLGATE_DATABASE_URL ? migrateDatabase(cfg.MLGATE_DATABASE_URL) : null,
  ]);
  if (promProblem) throw new CliError(promProblem, 2);
  if (db && !db.ok) throw new CliError(db.problem, 2);
  if (db && db.applied.length > 0) console.log(`migrated PostgreSQL (${redactDatabaseUrl(cfg.MLGATE_DATABASE_URL!)}): ${db.applied.join(', ')}`);
}

async function requireTemporal(): Promise<string> {
  const cfg = config();
  if (!cfg.MLGATE_TEMPORAL_ADDRESS) throw new CliError('MLGATE_TEMPORAL_ADDRESS must be set (host:port of the Temporal frontend); `mlgate dev` starts its own instead', 2);
  await prepareCluster(cfg.MLGATE_TEMPORAL_ADDRESS, cfg.MLGATE_TEMPORAL_NAMESPACE);
  return cfg.MLGATE_TEMPORAL_ADDRESS;
}

export function registerStackCommands(program: Command): void {
  program
    .command('dev')
    .description('the embedded stack: Temporal dev server (SQLite in the data folder, UI), mail catcher, gateway, approvals server, worker')
    .option('--demo', 'also start a release of the demo model with live traffic', false)
    .option('--auto-approve', 'with --demo: answer its gates at once as the demo approvers', false)
    .option('--model <model>', 'with --demo: which model to release (a spec under MLGATE_MODELS_DIR, e.g. sklearn-credit or xgboost-credit)', 'credit-risk')
    .addHelpText('after', [
      '\nExamples:', '  mlgate dev --demo            # what `npm start` runs',
      '  mlgate dev --demo --model sklearn-credit   # a real model: scikit-learn gradient boosting, served through ONNX',
      '  MLGATE_TEMPORAL_ADDRESS=temporal:7233 mlgate dev   # use an existing Temporal',
    ].join('\n'))
    .action(async (opts: { demo: boolean; autoApprove: boolean; model: string }) => {
      const cfg = config();
      const a = parseArgs(z.object({ model: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a model id such as sklearn-credit') }), { model: opts.model }, 'dev');
      // Read the demo's spec before anything starts: a wrong --model stops here with one line.
      const demoSpec = opts.demo ? loadSpecFile(resolveSpecPath(a.model, cfg.MLGATE_MODELS_DIR)) : undefined;
      if (cfg.MLGATE_TEMPORAL_ADDRESS) await prepareCluster(cfg.MLGATE_TEMPORAL_ADDRESS, cfg.MLGATE_TEMPORAL_NAMESPACE);
      await requireBackends();
      const t0 = Date.now();
      const stack = await startDevStack(cfg, consoleSpecs(cfg));
      console.log(`mlgate dev is ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (data in ${cfg.dataDir}):`);
      printUrls(stack.urls);
      const stopped = untilSignal();
      const demo = demoSpec ? runDemo({ cfg, address: stack.address, autoApprove: opts.autoApprove, stopped, spec: demoSpec }) : Promise.resolve();
      console.log('Ctrl-C stops everything.');
      await stopped;
      console.log('stopping…');
      await demo;
      await stack.stop();
    });

  program
    .command('worker')
    .description('a worker only (scale-out): runs workflows and activities against MLGATE_TEMPORAL_ADDRESS')
    .action(async () => {
      const cfg = config();
      const secrets = resolveSecrets(cfg, { generate: false });
      const address = await requireTemporal();
      await requireBackends();
      await runUntilSignal(await startWorker(cfg, secrets, address));
    });

  program
    .command('gateway')
    .description('the serving gateway only: predictions, /metrics, and the token-protected admin API')
    .action(async () => {
      const cfg = config();
      await requireBackends({ prometheus: false });
      await runUntilSignal(await startGateway(cfg, resolveSecrets(cfg, { generate: false }), createLogger(cfg)));
    });

  program
    .command('server')
    .description('the approvals server only: HTTP API and email approval links')
    .action(async () => {
      const cfg = config();
      const address = await requireTemporal();
      await requireBackends({ prometheus: false });
      await runUntilSignal(await startApprovalsServer(cfg, resolveSecrets(cfg, { generate: false }), address, createLogger(cfg), consoleSpecs(cfg)));
    });
}
