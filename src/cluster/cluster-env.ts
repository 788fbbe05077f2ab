/**
 * The settings each mlgate process of the scale-out topology gets. One source for the local
 * cluster (src/cluster/topology.ts) and the check on docker-compose.yml
 * (test/unit/compose/cluster-topology.test.ts): both run the same services with the same names.
 */
import type { MlgateCommand } from './mlgate-process';

/** Every mlgate process: where Temporal, PostgreSQL, mail and the shared artifacts are, and the secrets. */
export const SHARED_ENV_NAMES = [
  'MLGATE_TEMPORAL_ADDRESS', 'MLGATE_TEMPORAL_NAMESPACE', 'MLGATE_TASK_QUEUE', 'MLGATE_TRAINING_TASK_QUEUE', 'MLGATE_DATA_DIR',
  'MLGATE_DATABASE_URL', 'MLGATE_PUBLIC_URL', 'MLGATE_SMTP_HOST', 'MLGATE_SMTP_PORT', 'MLGATE_LOG_LEVEL',
  'MLGATE_APPROVAL_SECRET', 'MLGATE_ADMIN_TOKEN', 'MLGATE_PII_SALT',
] as const;

/** What each role adds: workers read metrics from Prometheus and move routing through a gateway's admin API. */
export const ROLE_ENV_NAMES: Record<MlgateCommand, readonly string[]> = {
  worker: ['MLGATE_GATEWAY_ADMIN_URL', 'MLGATE_METRICS_SOURCE', 'MLGATE_PROMETHEUS_URL'],
  gateway: ['MLGATE_GATEWAY_PORT', 'MLGATE_GATEWAY_ADMIN_PORT', 'MLGATE_FAULT_INJECTION'],
  server: ['MLGATE_SERVER_PORT', 'MLGATE_GATEWAY_ADMIN_URL'],
};

/** The topology: how many of each mlgate process, beside PostgreSQL, the Temporal server and Prometheus. */
export const CLUSTER_REPLICAS: Record<MlgateCommand, number> = { worker: 2, gateway: 2, server: 1 };

export type SharedEnv = Record<(typeof SHARED_ENV_NAMES)[number], string>;

/** The environment of one process: exactly the shared names plus its role's, nothing inherited but PATH and HOME. */
export function processEnv(role: MlgateCommand, shared: SharedEnv, own: Record<string, string>): Record<string, string> {
  const missing = ROLE_ENV_NAMES[role].filter((n) => !(n in own));
  if (missing.length > 0) throw new Error(`${role}: missing ${missing.join(', ')}`);
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...shared, ...own };
}
