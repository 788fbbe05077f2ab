/**
 * `mlgate approve|reject|pending|token`. With MLGATE_API_TOKEN the CLI goes through the approvals
 * server, which verifies who you are; without it, it sends the Update directly with the identity
 * you state (--as / MLGATE_USER) — fine for the embedded stack, where Temporal access is trust.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { createReleasePorts } from '../../adapters/decisions/temporal';
import { GateNameSchema } from '../../domain/spec';
import { CliError } from '../cli-error';
import { config, whoAmI, withClient } from '../context';
import { Email, parseArgs, ReleaseIdSchema } from '../options';
import { recordCliRefusal, withApprovalsStore } from '../record-refusal';
import { api } from '../api-client';

const DecideArgs = z.object({
  release: ReleaseIdSchema,
  gate: GateNameSchema,
  comment: z.string().max(2000).default(''),
  as: z.string().optional(),
});

async function decide(decision: 'approve' | 'reject', raw: Record<string, unknown>): Promise<void> {
  const a = parseArgs(DecideArgs, raw, decision);
  const cfg = config();
  if (cfg.MLGATE_API_TOKEN) {
    const r = (await api(cfg, 'POST', `/api/releases/${a.release}/gates/${a.gate}/decisions`, { decision, comment: a.comment })) as { approver: string; gateStatus: string };
    console.log(`${decision} recorded for ${a.release} (${a.gate} gate) as ${r.approver}; gate is now ${r.gateStatus}`);
    return;
  }
  const approver = parseArgs(Email, whoAmI(a.as, cfg), decision, 'as');
  await withClient(async (client) => {
    const r = await createReleasePorts({ client }).decide({ releaseId: a.release, gate: a.gate, approver, decision, comment: a.comment, channel: 'cli' });
    if (!r.accepted) {
      await recordCliRefusal(cfg, { who: approver, releaseId: a.release, gate: a.gate, code: r.code, reason: r.reason });
      throw new CliError(`refused (${r.code}): ${r.reason}`);
    }
    console.log(`${decision} recorded for ${a.release} (${a.gate} gate) as ${approver}; gate is now ${r.gateStatus}`);
  });
}

export function registerApprovalCommands(program: Command): void {
  for (const decision of ['approve', 'reject'] as const) {
    program
      .command(decision)
      .argument('<release>', 'release id, e.g. release-credit-risk-1')
      .requiredOption('-g, --gate <gate>', 'deploy | promote')
      .option('-c, --comment <text>', 'why (goes into the audit trail)', '')
      .option('--as <who>', 'your identity when no MLGATE_API_TOKEN is set (default MLGATE_USER / $USER)')
      .description(`${decision} a release at a gate`)
      .addHelpText('after', `\nExample:\n  mlgate ${decision} release-credit-risk-1 --gate deploy --comment "metrics and slices look fine"`)
      .action((release: string, opts: Record<string, unknown>) => decide(decision, { release, ...opts }));
  }

  program
    .command('pending')
    .option('--as <who>', 'whose pending gates (default MLGATE_USER / $USER; ignored with MLGATE_API_TOKEN)')
    .option('--all', 'every open gate, whoever may decide', false)
    .description('list gates waiting on you')
    .action(async (opts: { as?: string; all: boolean }) => {
      const cfg = config();
      const gates = cfg.MLGATE_API_TOKEN
        ? ((await api(cfg, 'GET', '/api/pending')) as { pending?: unknown[] }).pending ?? []
        : await withClient((client) => createReleasePorts({ client }).listPending(opts.all ? undefined : whoAmI(opts.as, cfg)));
      if (gates.length === 0) return console.log('no gates waiting');
      for (const g of gates as { releaseId: string; gate: string; approvals: number; required: number; deadline?: string; approvers: string[] }[]) {
        console.log(`${g.releaseId}  ${g.gate} gate  ${g.approvals}/${g.required} approvals  deadline ${g.deadline ?? 'none'}  waiting on ${g.approvers.join(', ')}`);
      }
    });

  const token = program.command('token').description('per-user API tokens for the approvals server (stored hashed)');
  token
    .command('create')
    .argument('<user>', 'the person the token identifies, e.g. alice@example.com')
    .description('create a token; it is shown once')
    .action(async (user: string) => {
      const who = parseArgs(Email, user, 'token create', 'user');
      console.log(await withApprovalsStore(config(), (store) => store.apiTokens.create(who)));
    });
}
