/** `mlgate review list|label`: the human review queue of low-confidence predictions, on the gateway's admin API. */
import type { Command } from 'commander';
import { z } from 'zod';
import { resolveSecrets } from '../../config/secrets';
import { createReviewClient } from '../../adapters/gateway/review-client';
import { CliError } from '../cli-error';
import { config, whoAmI } from '../context';
import { Email, parseArgs } from '../options';
import { ReviewStatusSchema } from '../../domain/monitor/review-rules';

const ModelId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a model id such as credit-risk');

function client() {
  const cfg = config();
  return createReviewClient({ adminUrl: cfg.gatewayAdminUrl, token: resolveSecrets(cfg, { generate: false }).adminToken });
}

async function orCliError<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw new CliError(`review: ${(err as Error).message}`);
  }
}

export function registerReviewCommands(program: Command): void {
  const review = program.command('review').description('label low-confidence predictions; labels flow back as feedback');
  review
    .command('list')
    .argument('<model>', 'model id')
    .option('--status <s>', 'pending or labelled', 'pending')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .description('list queued predictions with their (PII-free) inputs')
    .addHelpText('after', '\nExample:\n  mlgate review list credit-risk --limit 10')
    .action(async (model: string, opts: { status: string; limit: string; json?: boolean }) => {
      const a = parseArgs(z.object({ model: ModelId, status: ReviewStatusSchema, limit: z.coerce.number().int().min(1).max(1000) }), { model, ...opts }, 'review list');
      const items = await orCliError(client().list(a.model, { status: a.status, limit: a.limit }));
      if (opts.json) return void console.log(JSON.stringify(items, null, 2));
      if (items.length === 0) return void console.log(`${a.model}: no ${a.status} predictions`);
      for (const i of items) console.log(`${i.predictionId}  ${i.version}  predicted=${i.predicted}  confidence=${i.confidence.toFixed(3)}${i.observed ? `  label=${i.observed} by ${i.reviewer}` : ''}  ${JSON.stringify(i.inputs)}`);
    });
  review
    .command('label')
    .argument('<model>', 'model id')
    .argument('<predictionId>', 'id from `mlgate review list`')
    .argument('<label>', 'the observed outcome, e.g. 1')
    .option('--as <who>', 'who labels (default MLGATE_USER / $USER)')
    .description('label one queued prediction')
    .addHelpText('after', '\nExample:\n  mlgate review label credit-risk 3f6c...:0 1 --as alice@example.com')
    .action(async (model: string, predictionId: string, label: string, opts: { as?: string }) => {
      const a = parseArgs(z.object({ model: ModelId, predictionId: z.string().min(1), label: z.string().min(1), as: Email }), { model, predictionId, label, as: whoAmI(opts.as, config()) }, 'review label');
      const item = await orCliError(client().label(a.model, a.predictionId, { label: a.label, reviewer: a.as }));
      console.log(`${a.model}: ${item.predictionId} labelled ${item.observed} by ${item.reviewer} (predicted ${item.predicted})`);
    });
}
