/** `mlgate audit|releases|history`: the audit trail read from workflow histories. */
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { openPipelineStores } from '../../workers/pipeline-adapters';
import { buildAuditRecord, exportHistory, InvalidFiltersError, listReleases, modelHistory, renderAuditMarkdown, renderModelHistory, renderReleases, verifyAuditRecord } from '../../audit';
import { withApprovalsStore } from '../record-refusal';
import { CliError } from '../cli-error';
import YAML from 'yaml';
import { WhatIfPolicySchema, type WhatIfPolicy } from '../../domain/analysis/what-if';
import { formatIssues } from '../../domain/errors';
import { renderWhatIf, whatIfModel, whatIfRelease } from '../../audit/what-if';
import { config, withClient } from '../context';
import { parseArgs, ReleaseIdSchema } from '../options';

/** Refused attempts never reach history; the approvals server logs them in the approvals store. */
function refusedAttempts(releaseId: string) {
  return withApprovalsStore(config(), (store) => store.refused.list({ releaseId }));
}

/** A what-if policy file (YAML or JSON); every problem names its field. */
function loadPolicyFile(file: string): WhatIfPolicy {
  let doc: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    doc = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new CliError(`${file}: not a readable YAML or JSON file (${(err as Error).message})`, 2);
  }
  const r = WhatIfPolicySchema.safeParse(doc);
  if (!r.success) throw new CliError(`${file}: the policy has ${r.error.issues.length} problem(s):\n${formatIssues(r.error.issues).map((p) => `  - ${p}`).join('\n')}\n  (expected e.g. "slo: { alpha: 0.05, maxP99LatencyMs: 100 }")`, 2);
  return r.data;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`${file}: not a readable JSON file (${(err as Error).message})`);
  }
}

export function registerAuditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .argument('[release]', 'release (or rollback) workflow id')
    .option('--json', 'the record as JSON (schema: docs/audit-record.md)', false)
    .description('one audit record of a release: trigger, lineage, evidence, gates and decisions, rollout, outcome, digest')
    .addHelpText('after', '\nExamples:\n  mlgate audit release-credit-risk-3\n  mlgate audit release-credit-risk-3 --json > audit.json && mlgate audit verify audit.json\n  mlgate audit export release-credit-risk-3 > history.json')
    .action(async (release: string | undefined, opts: { json: boolean }) => {
      if (!release) return audit.help();
      const id = parseArgs(ReleaseIdSchema, release, 'audit', 'release');
      await withClient(async (client) => {
        const record = await buildAuditRecord({ client, releaseId: id, refusedAttempts: await refusedAttempts(id) });
        console.log(opts.json ? JSON.stringify(record, null, 2) : renderAuditMarkdown(record));
      });
    });
  audit
    .command('verify')
    .argument('<file>', 'an exported audit record (JSON)')
    .description('check an exported record against the live history; exit 1 on any difference')
    .action(async (file: string) => {
      const record = readJson(file) as { releaseId?: string };
      await withClient(async (client) => {
        const r = await verifyAuditRecord({ client, record, ...(record.releaseId ? { refusedAttempts: await refusedAttempts(record.releaseId) } : {}) });
        for (const n of r.notes) console.log(`note: ${n}`);
        if (!r.ok) throw new CliError(`${file} does NOT match the history:\n${r.problems.map((p) => `  - ${p}`).join('\n')}`);
        console.log(`${file}: verified against the live history`);
      });
    });
  audit
    .command('export')
    .argument('<release>', 'release workflow id')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .description('raw history JSON of the release and its child runs, for archiving and replay')
    .action(async (release: string, opts: { out?: string }) => {
      const id = parseArgs(ReleaseIdSchema, release, 'audit export', 'release');
      await withClient(async (client) => {
        const text = JSON.stringify(await exportHistory({ client, releaseId: id }), null, 2);
        if (opts.out) writeFileSync(opts.out, `${text}\n`);
        else console.log(text);
      });
    });

  program
    .command('releases')
    .option('--model <m>', 'model id')
    .option('--stage <s>', 'stage, e.g. awaiting_deploy_approval')
    .option('--outcome <o>', 'outcome, e.g. promoted, rolled_back')
    .option('--since <t>', 'a duration back (24h, 7d) or an ISO time')
    .option('--limit <n>', 'at most this many')
    .description('list releases through Temporal visibility (search attributes)')
    .action(async (opts: Record<string, string | undefined>) => {
      const filters = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
      await withClient(async (client) => {
        try {
          console.log(renderReleases(await listReleases({ client, filters: { ...filters, ...(filters.limit ? { limit: Number(filters.limit) } : {}) } })));
        } catch (err) {
          if (err instanceof InvalidFiltersError) throw new CliError(`mlgate releases: invalid arguments:\n${err.problems.map((p) => `  --${p}`).join('\n')}`, 2);
          throw err;
        }
      });
    });

  program
    .command('whatif')
    .argument('[release]', 'release workflow id')
    .requiredOption('--policy <file>', 'YAML or JSON: { slo: { ...the SLO fields to change } }')
    .option('--model <m>', 'instead of one release: every closed release of this model')
    .option('--since <t>', 'with --model: a duration back (30d) or an ISO time', '30d')
    .option('--json', 'the replays as JSON', false)
    .description('replay a past rollout under another policy (thresholds, alpha) from its recorded per-poll evidence')
    .addHelpText('after', '\nExamples:\n  mlgate whatif release-credit-risk-3 --policy stricter.yaml\n  mlgate whatif --model credit-risk --since 30d --policy stricter.yaml   (lists the releases whose decision would change)')
    .action(async (release: string | undefined, opts: { policy: string; model?: string; since: string; json: boolean }) => {
      const policy = loadPolicyFile(opts.policy);
      if (!release && !opts.model) throw new CliError('mlgate whatif: name a release, or --model <m> for every release of a model', 2);
      await withClient(async (client) => {
        if (release) {
          const r = await whatIfRelease({ client, releaseId: parseArgs(ReleaseIdSchema, release, 'whatif', 'release'), policy });
          console.log(opts.json ? JSON.stringify(r, null, 2) : renderWhatIf(r));
          return;
        }
        let all;
        try {
          all = await whatIfModel({ client, model: opts.model!, since: opts.since, policy });
        } catch (err) {
          if (err instanceof InvalidFiltersError) throw new CliError(`mlgate whatif: invalid arguments:\n${err.problems.map((p) => `  --${p}`).join('\n')}`, 2);
          throw err;
        }
        const changed = all.filter((r) => r.changed);
        if (opts.json) return console.log(JSON.stringify(changed, null, 2));
        const unreplayable = all.filter((r) => r.decision === 'no_evidence').length;
        console.log(`${all.length} closed release(s) of ${opts.model} since ${opts.since}; ${changed.length} would decide differently${unreplayable ? `; ${unreplayable} have no per-poll evidence` : ''}`);
        for (const r of changed) console.log(renderWhatIf(r));
      });
    });

  program
    .command('history')
    .argument('<model>', 'model id')
    .description("a model's production timeline: which artifact served when, and why each change happened")
    .action(async (model: string) => {
      const cfg = config();
      const { registry } = openPipelineStores({ dataDir: cfg.dataDir, ...(cfg.MLGATE_DATABASE_URL ? { databaseUrl: cfg.MLGATE_DATABASE_URL } : {}) });
      try {
        await withClient(async (client) => console.log(renderModelHistory(await modelHistory({ client, registry, model }))));
      } finally {
        registry.close();
      }
    });
}
