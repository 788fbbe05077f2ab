/**
 * mlgate's PostgreSQL schema as one list (every adapter's migrations, in order) and what the CLI
 * runs with it: `mlgate migrate`, and the check before a server starts. Servers migrate at start
 * (each adapter also applies its own list on open, a no-op once this ran); a role that may not
 * create tables gets one line offering `mlgate migrate`, to run once as the schema's owner.
 */
import { APPROVALS_MIGRATIONS } from '../adapters/approvals-store/postgres';
import { PREDICTION_LOG_MIGRATIONS } from '../adapters/prediction-log/postgres-schema';
import { checkPostgres, migrate, MigrationError, redactDatabaseUrl, type Migration } from '../adapters/postgres/migrate';
import { createPool } from '../adapters/postgres/pool-options';
import { REGISTRY_MIGRATIONS } from '../adapters/registry/postgres';
import { ROUTING_MIGRATIONS } from '../adapters/routing-store/postgres';

export const MLGATE_MIGRATIONS: Migration[] = [...REGISTRY_MIGRATIONS, ...APPROVALS_MIGRATIONS, ...ROUTING_MIGRATIONS, ...PREDICTION_LOG_MIGRATIONS];

/** SQLSTATE insufficient_privilege. */
const INSUFFICIENT_PRIVILEGE = '42501';

export type DatabaseResult = { ok: true; applied: string[] } | { ok: false; problem: string };

/** One line for a migration the database refused, naming the setting and the command to run. */
export function migrationProblem(url: string, err: unknown): string {
  const where = redactDatabaseUrl(url);
  if (err instanceof MigrationError && err.code === INSUFFICIENT_PRIVILEGE) {
    return `mlgate's tables in PostgreSQL at ${where} are missing or behind, and this role may not create them (${(err.cause as Error).message}); run \`mlgate migrate\` once with MLGATE_DATABASE_URL set to a role that owns the schema`;
  }
  return `migrating PostgreSQL at ${where} failed (${(err as Error).message}); check MLGATE_DATABASE_URL, then run \`mlgate migrate\``;
}

/** Connects (one line when it cannot) and applies every missing migration; idempotent. */
export async function migrateDatabase(url: string): Promise<DatabaseResult> {
  const unusable = await checkPostgres(url);
  if (unusable) return { ok: false, problem: unusable };
  const pool = createPool(url, 1);
  try {
    return { ok: true, applied: await migrate(pool, MLGATE_MIGRATIONS) };
  } catch (err) {
    return { ok: false, problem: migrationProblem(url, err) };
  } finally {
    await pool.end();
  }
}
