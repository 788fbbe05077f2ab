/**
 * docker-compose.yml and the local cluster (src/cluster/topology.ts, `npm run cluster`) describe one
 * topology: the same mlgate processes, as many of each, with the same settings by name, and the same
 * supporting services. A setting added to one and not the other fails here.
 */
import { CLUSTER_REPLICAS, ROLE_ENV_NAMES, SHARED_ENV_NAMES } from '../../../src/cluster/cluster-env';
import { MLGATE_COMMANDS } from '../../../src/cluster/mlgate-process';
import { MLGATE_COMPOSE_SERVICES } from '../../../deploy/compose-services';
import { collectReferences, loadCompose, readRawCompose, serviceEnv } from './compose-file';

const raw = readRawCompose();
const hostEnv = Object.fromEntries(collectReferences(raw).map((r) => [r.name, '0123456789abcdef'.repeat(4)]));
const compose = loadCompose(hostEnv);
const replicasOf = (name: string) => (compose.services[name] as { deploy?: { replicas?: number } }).deploy?.replicas ?? 1;

describe('docker-compose.yml and the local cluster topology', () => {
  it('run the same mlgate processes, as many of each', () => {
    expect([...MLGATE_COMMANDS].sort()).toEqual(Object.keys(MLGATE_COMPOSE_SERVICES).sort());
    for (const cmd of MLGATE_COMMANDS) {
      expect({ cmd, replicas: replicasOf(MLGATE_COMPOSE_SERVICES[cmd]) }).toEqual({ cmd, replicas: CLUSTER_REPLICAS[cmd] });
    }
  });

  it('give each mlgate process every setting the local cluster gives it', () => {
    for (const cmd of MLGATE_COMMANDS) {
      const set = Object.keys(serviceEnv(compose.services[MLGATE_COMPOSE_SERVICES[cmd]]));
      const missing = [...SHARED_ENV_NAMES, ...ROLE_ENV_NAMES[cmd]].filter((n) => !set.includes(n));
      expect({ cmd, missing }).toEqual({ cmd, missing: [] });
    }
  });

  it('read metrics from Prometheus and keep state in PostgreSQL, as the local cluster does', () => {
    const worker = serviceEnv(compose.services[MLGATE_COMPOSE_SERVICES.worker]);
    expect(worker.MLGATE_METRICS_SOURCE).toBe('prometheus');
    expect(worker.MLGATE_PROMETHEUS_URL).toBe('http://prometheus:9090');
    for (const cmd of MLGATE_COMMANDS) expect(serviceEnv(compose.services[MLGATE_COMPOSE_SERVICES[cmd]]).MLGATE_DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgresql:5432\/mlgate$/);
  });

  it('run the supporting services the local cluster starts: PostgreSQL, the Temporal schema job and server, Prometheus, and a load balancer for the gateways', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgresql', 'temporal-schema', 'temporal', 'prometheus', 'gateway-lb']));
    expect(compose.services.temporal.depends_on).toMatchObject({ 'temporal-schema': { condition: 'service_completed_successfully' } });
  });
});
