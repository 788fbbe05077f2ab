/** `mlgate migrate`: apply mlgate's PostgreSQL migrations to MLGATE_DATABASE_URL ahead of the servers (idempotent). */
import type { Command } from 'commander';
import { redactDatabaseUrl } from '../../adapters/postgres/migrate';
import { MLGATE_MIGRATIONS, migrateDatabase } from '../../workers/database';
import { CliError } from '../cli-error';
import { config } from '../context';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply mlgate\'s PostgreSQL migrations to MLGATE_DATABASE_URL and print what it applied (idempotent; servers also migrate at start when their role may)')
    .addHelpText('after', '\nExample:\n  MLGATE_DATABASE_URL=postgres://mlgate_owner:<password>@db:5432/mlgate mlgate migrate')
    .action(async () => {
      const cfg = config();
      if (!cfg.MLGATE_DATABASE_URL) throw new CliError(`MLGATE_DATABASE_URL is not set: mlgate keeps its state in SQLite files under ${cfg.dataDir}, which need no migration; set it to a postgres:// URL to migrate PostgreSQL`, 2);
      const r = await migrateDatabase(cfg.MLGATE_DATABASE_URL);
      if (!r.ok) throw new CliError(r.problem, 2);
      const where = redactDatabaseUrl(cfg.MLGATE_DATABASE_URL);
      for (const id of r.applied) console.log(`applied ${id}`);
      console.log(r.applied.length > 0
        ? `PostgreSQL at ${where}: applied ${r.applied.length} migration(s); the schema is current (${MLGATE_MIGRATIONS.length} in all)`
        : `PostgreSQL at ${where} is up to date (${MLGATE_MIGRATIONS.length} migrations); nothing to apply`);
    });
}
