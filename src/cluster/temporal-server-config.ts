/**
 * The Temporal server's config for the local cluster, adapted from the module's
 * config/development-postgres12.yaml: PostgreSQL persistence and SQL (advanced) visibility on our
 * database, every service on its own free loopback port, and an absolute dynamic-config path.
 */
import { stringify } from 'yaml';

export interface TemporalServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

const sqlStore = (databaseName: string, pgPort: number, maxConns: number) => ({
  sql: {
    pluginName: 'postgres12', databaseName, connectAddr: `127.0.0.1:${pgPort}`, connectProtocol: 'tcp',
    user: 'postgres', password: '', maxConns, maxIdleConns: maxConns, maxConnLifetime: '1h',
  },
});

const service = (grpcPort: number, membershipPort: number, extra: Record<string, number> = {}) => ({
  rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
});

/** The server config YAML: `server --config <dir> --env <name>` reads `<dir>/<name>.yaml`. */
export function temporalServerConfig(o: { pgPort: number; ports: TemporalServerPorts; dynamicConfigPath: string }): string {
  const p = o.ports;
  return stringify({
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default', visibilityStore: 'postgres-visibility', numHistoryShards: 4,
      datastores: { 'postgres-default': sqlStore('temporal', o.pgPort, 20), 'postgres-visibility': sqlStore('temporal_visibility', o.pgPort, 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: service(p.frontend, p.frontendMembership, { httpPort: p.frontendHttp }),
      matching: service(p.matching, p.matchingMembership),
      history: service(p.history, p.historyMembership),
      worker: service(p.worker, p.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false, failoverVersionIncrement: 10, masterClusterName: 'active', currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${p.frontend}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: o.dynamicConfigPath, pollInterval: '10s' },
  });
}

/**
 * Dynamic config: the same settings as deploy/temporal/dynamicconfig/development-sql.yaml (compose).
 * Workflow ids are business keys, longer than the default limit; and mlgate registers its search
 * attributes right before the workers start, so the frontend must not answer from a stale cache.
 */
export const TEMPORAL_DYNAMIC_CONFIG = stringify({
  'limit.maxIDLength': [{ value: 255, constraints: {} }],
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true, constraints: {} }],
});
