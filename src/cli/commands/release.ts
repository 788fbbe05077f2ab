/** `mlgate release|status|cancel|spec`: start a release, follow it, read it, stop it. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { startRelease } from '../../adapters/release-starter/temporal';
import { TriggerReasonSchema } from '../../domain/release';
import { createGatewayAdmin } from '../../adapters/gateway/gateway-admin';
import type { Config } from '../../config/env';
import { resolveSecrets } from '../../config/secrets';
import { followRelease } from '../follow-release';
import { api } from '../api-client';
import { modelSpecJsonSchema } from '../../domain/spec';
import { statusQuery } from '../../workflows/messages';
import { codeVersion, config, uiLink, whoAmI, withClient } from '../context';
import { parseArgs, ReleaseIdSchema } from '../options';
import { loadSpecFile, resolveSpecPath } from '../spec-file';
import { renderStatus } from '../render-status';

const ReleaseArgs = z.object({
  model: z.string().min(1, 'name a model (e.g. credit-risk) or a spec file'),
  reason: TriggerReasonSchema.default('manual'),
  detail: z.string().default(''),
  as: z.string().optional(),
  follow: z.boolean().default(false),
});

/** The canary step the gateway routes now ("canary 50%", "shadow"), read with the admin token. */
function canaryStep(cfg: Config, model: string): () => Promise<string | null> {
  return async () => {
    const admin = createGatewayAdmin({ adminUrl: cfg.gatewayAdminUrl, token: resolveSecrets(cfg, { generate: false }).adminToken });
    const c = (await admin.getRouting(model))?.candidate;
    if (!c) return null;
    return c.mode === 'canary' ? `canary step: ${c.weight}% of traffic on the candidate` : 'shadow: the candidate sees mirrored traffic';
  };
}

export function registerReleaseCommands(program: Command): void {
  program
    .command('release')
    .argument('<model>', 'model id under MLGATE_MODELS_DIR, or a spec file')
    .option('--reason <reason>', 'manual | schedule | drift', 'manual')
    .option('--detail <text>', 'why, or a link to the evidence', '')
    .option('--as <who>', 'requester (default: MLGATE_USER or $USER)')
    .option('-f, --follow', 'follow the release live until it ends', false)
    .description('start a release: snapshot, train, evaluate, gates, rollout, promotion')
    .addHelpText('after', '\nExamples:\n  mlgate release credit-risk --follow\n  mlgate release ./models/churn/model.yaml --reason drift --detail "PSI 0.31 on income"')
    .action(async (model: string, opts: Record<string, unknown>) => {
      const a = parseArgs(ReleaseArgs, { model, ...opts }, 'release');
      const cfg = config();
      const loaded = loadSpecFile(resolveSpecPath(a.model, cfg.MLGATE_MODELS_DIR));
      await withClient(async (client) => {
        const handle = await startRelease({
          client,
          taskQueue: cfg.MLGATE_TASK_QUEUE,
          input: {
            spec: loaded.spec, specDir: loaded.dir, requester: whoAmI(a.as, cfg), reason: a.reason, reasonDetail: a.detail,
            codeVersion: codeVersion(cfg), trainingTaskQueue: cfg.MLGATE_TRAINING_TASK_QUEUE,
          },
        });
        console.log(`started ${handle.workflowId}\n  Temporal UI: ${uiLink(cfg, handle.workflowId)}`);
        if (!a.follow) return;
        const s = await followRelease({ read: () => handle.query(statusQuery), canary: canaryStep(cfg, loaded.spec.id), out: process.stdout });
        console.log(renderStatus(s));
      });
    });

  program
    .command('status')
    .argument('<release>', 'release id, e.g. release-credit-risk-1')
    .option('--json', 'print the raw status as JSON', false)
    .description('show a release: stage, evidence so far, gates and who may decide')
    .action(async (release: string, opts: { json: boolean }) => {
      const id = parseArgs(ReleaseIdSchema, release, 'status', 'release');
      await withClient(async (client) => {
        const s = await client.workflow.getHandle(id).query(statusQuery);
        console.log(opts.json ? JSON.stringify(s, null, 2) : renderStatus(s));
      });
    });

  program
    .command('cancel')
    .argument('<release>', 'release id')
    .description('cancel a release; if anything was deployed, its rollback runs by itself (with MLGATE_API_TOKEN: through the approvals server, owner and approvers only)')
    .action(async (release: string) => {
      const id = parseArgs(ReleaseIdSchema, release, 'cancel', 'release');
      if (config().MLGATE_API_TOKEN) {
        const r = (await api(config(), 'POST', `/api/releases/${encodeURIComponent(id)}/cancel`)) as { cancelRequestedBy: string };
        console.log(`cancellation requested for ${id} by ${r.cancelRequestedBy}; follow it with: mlgate status ${id}`);
        return;
      }
      await withClient(async (client) => {
        await client.workflow.getHandle(id).cancel();
        console.log(`cancellation requested for ${id}; follow it with: mlgate status ${id}`);
      });
    });

  const spec = program.command('spec').description('validate model specs and export their JSON Schema');
  spec
    .command('validate')
    .argument('<file>', 'spec file (YAML or JSON)')
    .action((file: string) => {
      const { spec: s } = loadSpecFile(resolveSpecPath(file, config().MLGATE_MODELS_DIR));
      console.log(`${file}: valid (${s.id}, risk ${s.riskClass}, ${s.strategy.kind})`);
    });
  spec
    .command('schema')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .description('JSON Schema of the model spec, for editors')
    .action((opts: { out?: string }) => {
      const text = JSON.stringify(modelSpecJsonSchema(), null, 2);
      if (opts.out) writeFileSync(opts.out, `${text}\n`);
      else console.log(text);
    });
}
