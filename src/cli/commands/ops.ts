/** `mlgate rollback|schedule|traffic|fault|smoke`: operating models once they are released. */
import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Command } from 'commander';
import { z } from 'zod';
import { createGatewayAdmin } from '../../adapters/gateway/gateway-admin';
import { startRollback } from '../../adapters/release-starter/temporal';
import { resolveSecrets } from '../../config/secrets';
import { generateSyntheticCredit } from '../../domain/data/synthetic-credit';
import { DurationSchema, durationMs } from '../../domain/duration';
import { runTraffic } from '../../traffic';
import { ModelKey, ReasonKey, RiskClassKey } from '../../workflows/search-attributes';
import { smokeFinishSignal, smokeNoteUpdate } from '../../workflows/smoke';
import { codeVersion, config, uiLink, whoAmI, withClient } from '../context';
import { parseArgs } from '../options';
import { api } from '../api-client';
import { CliError } from '../cli-error';
import { assertPreviousVersion } from '../rollback-precheck';
import { loadSpecFile, resolveSpecPath } from '../spec-file';

const ModelId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a model id such as credit-risk');

export function registerOpsCommands(program: Command): void {
  program
    .command('rollback')
    .argument('<model>', 'model id')
    .option('--to <artifact>', 'artifact to restore (default: the previous champion)')
    .option('--reason <text>', 'why (goes into the audit trail)', 'manual rollback')
    .option('--as <who>', 'who asks (default MLGATE_USER / $USER)')
    .description('restore the previous (or a named) artifact in the gateway and the registry, as a workflow (with MLGATE_API_TOKEN: through the approvals server, owner and approvers only)')
    .addHelpText('after', '\nExamples:\n  mlgate rollback credit-risk --reason "complaints about scores"\n  mlgate rollback credit-risk --to art-0123456789abcdef')
    .action(async (model: string, opts: { to?: string; reason: string; as?: string }) => {
      const a = parseArgs(z.object({ model: ModelId, to: z.string().regex(/^art-[0-9a-f]{16}$/, 'expected an artifact id art-<16 hex>').optional(), reason: z.string().min(1) }), { model, ...opts }, 'rollback');
      if (config().MLGATE_API_TOKEN) {
        if (a.to) throw new CliError('--to is not offered through the approvals server; without MLGATE_API_TOKEN the embedded CLI can roll back to a named artifact');
        const r = (await api(config(), 'POST', `/api/models/${a.model}/rollback`, { reason: a.reason })) as { rollbackId: string; to: string; requestedBy: string };
        console.log(`${a.model}: ${r.rollbackId} started by ${r.requestedBy}, restoring ${r.to}`);
        return;
      }
      if (!a.to) await assertPreviousVersion(config().dataDir, a.model, config().MLGATE_DATABASE_URL);
      await withClient(async (client, cfg) => {
        const request = { model: a.model, toArtifact: a.to, requester: whoAmI(opts.as, cfg), reason: a.reason };
        const handle = await startRollback({ client, taskQueue: cfg.MLGATE_TASK_QUEUE, request });
        const r = await handle.result();
        console.log(`${a.model}: now serving ${r.to} (was ${r.from ?? 'nothing'}); audit: ${uiLink(cfg, handle.workflowId)}`);
      });
    });

  registerSchedule(program);

  program
    .command('traffic')
    .argument('<model>', 'model id')
    .option('--rps <n>', 'requests per second', '50')
    .option('--duration <d>', 'how long, e.g. 30s, 5m', '30s')
    .option('--drift <x>', 'shift the synthetic rows (0 = reference population)', '0')
    .description('send held-out-like synthetic credit rows to the gateway (loopback), and print what served them')
    .action(async (model: string, opts: Record<string, string>) => {
      const a = parseArgs(z.object({ model: ModelId, rps: z.coerce.number('give requests per second as a number, e.g. 50').positive('use a positive number of requests per second, e.g. 50').max(5000, 'at most 5000 requests per second'), duration: DurationSchema, drift: z.coerce.number('give the drift as a number from 0 to 5').min(0, 'drift: 0 (none) to 5').max(5, 'drift: 0 (none) to 5') }), { model, ...opts }, 'traffic');
      const rows = generateSyntheticCredit({ rows: 2000, seed: 4242, drift: a.drift }) as unknown as Record<string, unknown>[];
      const stats = await runTraffic({ gatewayUrl: config().gatewayUrl, model: a.model, rows, rps: a.rps, durationMs: durationMs(a.duration) });
      console.log(JSON.stringify(stats, null, 2));
    });

  const fault = program.command('fault').description('inject faults into one model version (needs MLGATE_FAULT_INJECTION=true on the gateway)');
  fault
    .command('inject')
    .argument('<model>').argument('<version>', 'artifact id')
    .option('--latency-ms <ms>', 'added latency', '0')
    .option('--error-rate <r>', 'share of requests that fail, 0..1', '0')
    .action(async (model: string, version: string, opts: Record<string, string>) => {
      const a = parseArgs(z.object({ latencyMs: z.coerce.number().min(0).max(60_000), errorRate: z.coerce.number().min(0).max(1) }), opts, 'fault inject');
      await admin().injectFault({ model, version, latencyMs: a.latencyMs, errorRate: a.errorRate });
      console.log(`fault on ${model}/${version}: +${a.latencyMs} ms, ${a.errorRate * 100}% errors`);
    });
  fault.command('clear').argument('[model]').action(async (model?: string) => {
    await admin().clearFaults(model);
    console.log('faults cleared');
  });

  program
    .command('smoke')
    .description('prove the deployment: a workflow runs an activity on a worker, takes an update and a signal')
    .action(() =>
      withClient(async (client, cfg) => {
        const handle = await client.workflow.start('smokeWorkflow', { taskQueue: cfg.MLGATE_TASK_QUEUE, workflowId: `smoke-${Date.now()}`, args: ['hello from mlgate smoke'] });
        await handle.executeUpdate(smokeNoteUpdate, { args: ['update accepted'] });
        await handle.signal(smokeFinishSignal);
        console.log(JSON.stringify(await handle.result(), null, 2));
      }),
    );
}

function admin() {
  const cfg = config();
  return createGatewayAdmin({ adminUrl: cfg.gatewayAdminUrl, token: resolveSecrets(cfg, { generate: false }).adminToken });
}

function registerSchedule(program: Command): void {
  const schedule = program.command('schedule').description('periodic retrains with Temporal Schedules (overlap: skip)');
  schedule
    .command('create')
    .argument('<model>', 'model id under MLGATE_MODELS_DIR, or a spec file')
    .requiredOption('--every <d>', 'interval, e.g. 1d, 12h')
    .option('--as <who>', 'requester recorded on each release')
    .addHelpText('after', '\nExample:\n  mlgate schedule create credit-risk --every 1d')
    .action(async (model: string, opts: { every: string; as?: string }) => {
      const a = parseArgs(z.object({ every: DurationSchema }), opts, 'schedule create');
      const cfg = config();
      const loaded = loadSpecFile(resolveSpecPath(model, cfg.MLGATE_MODELS_DIR));
      await withClient(async (client) => {
        const id = `retrain-${loaded.spec.id}`;
        await client.schedule.create({
          scheduleId: id,
          spec: { intervals: [{ every: durationMs(a.every) }] },
          policies: { overlap: ScheduleOverlapPolicy.SKIP },
          action: {
            type: 'startWorkflow', workflowType: 'releaseWorkflow', taskQueue: cfg.MLGATE_TASK_QUEUE, workflowId: `release-${loaded.spec.id}-scheduled`,
            args: [{ spec: loaded.spec, specDir: loaded.dir, requester: whoAmI(opts.as, cfg), reason: 'schedule', codeVersion: codeVersion(cfg), trainingTaskQueue: cfg.MLGATE_TRAINING_TASK_QUEUE }],
            typedSearchAttributes: [{ key: ModelKey, value: loaded.spec.id }, { key: RiskClassKey, value: loaded.spec.riskClass }, { key: ReasonKey, value: 'schedule' }],
          },
        });
        console.log(`schedule ${id}: a release of ${loaded.spec.id} every ${a.every} (overlap: skip)`);
      });
    });
  schedule.command('list').action(() => withClient(async (client) => listSchedules(client)));
  for (const verb of ['pause', 'unpause', 'delete'] as const) {
    schedule.command(verb).argument('<model>', 'model id').action((model: string) =>
      withClient(async (client) => {
        const h = client.schedule.getHandle(`retrain-${parseArgs(ModelId, model, `schedule ${verb}`, 'model')}`);
        await (verb === 'pause' ? h.pause('paused from the CLI') : verb === 'unpause' ? h.unpause('unpaused from the CLI') : h.delete());
        console.log(`schedule retrain-${model}: ${verb}d`);
      }),
    );
  }
}

async function listSchedules(client: Client): Promise<void> {
  let any = false;
  for await (const s of client.schedule.list()) {
    any = true;
    const d = await client.schedule.getHandle(s.scheduleId).describe();
    console.log(`${s.scheduleId}  ${d.state.paused ? 'paused' : 'active'}  next ${d.info.nextActionTimes[0]?.toISOString() ?? '-'}`);
  }
  if (!any) console.log('no schedules');
}
