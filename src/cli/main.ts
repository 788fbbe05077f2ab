/**
 * `mlgate`: the single entry point. Commands live in ./commands; this file builds the program and
 * turns configuration and usage errors into one clear line each (exit 2), nothing half-started.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/env';
import { CliError } from './cli-error';
import { workflowFailureLine } from './workflow-failure';
import { registerApprovalCommands } from './commands/approve';
import { registerAuditCommands } from './commands/audit';
import { registerMigrateCommand } from './commands/migrate';
import { registerOpsCommands } from './commands/ops';
import { registerReleaseCommands } from './commands/release';
import { registerReviewCommands } from './commands/review';
import { registerStackCommands } from './commands/stack';
import { registerClusterCommands } from './commands/cluster';

export function buildProgram(): Command {
  const program = new Command('mlgate')
    .description('MLOps release orchestrator on Temporal: snapshot, train, evaluate, approve, canary/shadow, promote, roll back by itself')
    .showHelpAfterError('(run `mlgate --help` for the commands)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  npm start                                   # = mlgate dev --demo: the embedded stack and a demo release
  mlgate release credit-risk --follow         # release a model (spec in examples/credit-risk/model.yaml)
  mlgate status release-credit-risk-1
  mlgate approve release-credit-risk-1 --gate deploy --as alice@example.com --comment "ok"
  mlgate pending --as bob@example.com
  mlgate rollback credit-risk                 # back to the previous artifact, audited
  mlgate schedule create credit-risk --every 1d
  mlgate traffic credit-risk --rps 50 --duration 1m
  mlgate audit release-credit-risk-1 --json > audit.json && mlgate audit verify audit.json
  mlgate releases --model credit-risk --outcome rolled_back --since 7d
  mlgate migrate                              # with MLGATE_DATABASE_URL: create or update mlgate's PostgreSQL tables
Configuration comes from MLGATE_* environment variables (see the README).`,
    );
  registerStackCommands(program);
  registerClusterCommands(program);
  registerReleaseCommands(program);
  registerApprovalCommands(program);
  registerOpsCommands(program);
  registerReviewCommands(program);
  registerAuditCommands(program);
  registerMigrateCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    if (err instanceof ConfigError) {
      console.error(err.problems.join('\n'));
      return 2;
    }
    if (err instanceof CliError) {
      console.error(`mlgate: ${err.message}`);
      return err.exitCode;
    }
    const line = workflowFailureLine(err);
    if (line) {
      console.error(`mlgate: ${line}`);
      return 1;
    }
    console.error(`mlgate: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}

if (require.main === module || process.argv[1]?.endsWith('mlgate.js')) {
  void main(process.argv).then((code) => process.exit(code));
}
