import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ENV_VARIABLES, loadConfig, type Config } from '../../../src/config/env';
import { SEARCH_ATTRIBUTES } from '../../../src/workflows/search-attributes';
import { MLGATE_COMPOSE_SERVICES, MLGATE_SERVICE_COMMANDS } from '../../../deploy/compose-services';
import { collectReferences, interpolate, loadCompose, parsePort, readRawCompose, REPO_ROOT, serviceEnv, type ComposeFile, type ComposeService } from './compose-file';

// 64 characters: long enough for every secret rule in EnvSchema.
const DUMMY_SECRET = '0123456789abcdef'.repeat(4);
const SECRET_KEY = /_(SECRET|TOKEN|SALT|PASSWORD|PWD)$/;
const MLGATE_SERVICES = Object.values(MLGATE_COMPOSE_SERVICES);

const raw = readRawCompose() as { services: Record<string, { environment?: Record<string, unknown> }> } & Record<string, unknown>;
const required = [...new Set(collectReferences(raw).filter((r) => r.op === ':?' || r.op === '?').map((r) => r.name))];
const hostEnv = Object.fromEntries(required.map((name) => [name, DUMMY_SECRET]));
const compose: ComposeFile = loadCompose(hostEnv);

function service(name: string): ComposeService {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}; services: ${Object.keys(compose.services).join(', ')}`);
  return s;
}
const configOf = (name: string): Config => loadConfig(serviceEnv(service(name)));
const targets = (name: string) => (service(name).ports ?? []).map(parsePort);

describe('docker-compose.yml', () => {
  it('is a compose-spec file without the obsolete version key, with every service of the scale-out shape', () => {
    expect(raw).not.toHaveProperty('version');
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal-schema', 'temporal', 'temporal-setup', 'temporal-ui', 'mailpit', 'prometheus', 'gateway-lb', ...MLGATE_SERVICES]),
    );
  });

  it('sets only MLGATE_ variables that src/config/env.ts reads, so a renamed variable fails here', () => {
    const set = Object.values(compose.services).flatMap((s) => Object.keys(s.environment ?? {}));
    const unknown = set.filter((k) => k.startsWith('MLGATE_') && !ENV_VARIABLES.includes(k));
    expect(unknown).toEqual([]);
  });

  it('gives every mlgate service an environment that EnvSchema accepts once the secrets are set', () => {
    for (const name of MLGATE_SERVICES) {
      expect(() => configOf(name)).not.toThrow();
    }
  });

  it('publishes the gateways through the load balancer on the ports they listen on, and the approvals server on its own', () => {
    const gateway = configOf(MLGATE_COMPOSE_SERVICES.gateway);
    const server = configOf(MLGATE_COMPOSE_SERVICES.server);
    // Replicas publish nothing themselves (a host port would stop them scaling); gateway-lb does.
    expect(targets(MLGATE_COMPOSE_SERVICES.gateway)).toEqual([]);
    expect(targets('gateway-lb').map((p) => p.target).sort()).toEqual([gateway.MLGATE_GATEWAY_PORT, gateway.MLGATE_GATEWAY_ADMIN_PORT].sort());
    const lb = readFileSync(path.join(REPO_ROOT, 'deploy/gateway-lb/nginx.conf'), 'utf8');
    for (const port of [gateway.MLGATE_GATEWAY_PORT, gateway.MLGATE_GATEWAY_ADMIN_PORT]) {
      expect(lb).toContain(`listen ${port};`);
      expect(lb).toContain(`server ${MLGATE_COMPOSE_SERVICES.gateway}:${port} resolve`);
    }
    expect(targets(MLGATE_COMPOSE_SERVICES.server).map((p) => p.target)).toEqual([server.MLGATE_SERVER_PORT]);
    expect(targets(MLGATE_COMPOSE_SERVICES.worker)).toEqual([]);
  });

  it('binds the gateway admin listener inside the container but publishes it to the host on loopback only', () => {
    const gateway = configOf(MLGATE_COMPOSE_SERVICES.gateway);
    expect(gateway.MLGATE_ADMIN_HOST).toBe('0.0.0.0');
    expect(gateway.MLGATE_ADMIN_TOKEN).toBeDefined();
    const admin = targets('gateway-lb').filter((p) => p.target === gateway.MLGATE_GATEWAY_ADMIN_PORT);
    expect(admin).toHaveLength(1);
    for (const p of admin) expect(p.hostIp).toBe('127.0.0.1');
  });

  it('publishes unauthenticated consoles (Temporal, its UI, the mailbox) on loopback only', () => {
    for (const name of ['temporal', 'temporal-ui', 'mailpit', 'postgresql', 'prometheus']) {
      for (const p of targets(name)) expect({ service: name, hostIp: p.hostIp }).toEqual({ service: name, hostIp: '127.0.0.1' });
    }
  });

  it('points every mlgate service at the temporal service, on the port and namespace the cluster uses', () => {
    const temporalPort = service('temporal').environment?.TEMPORAL_ADDRESS;
    expect(temporalPort).toBe('temporal:7233');
    expect(targets('temporal').map((p) => p.target)).toContain(7233);
    const setupNamespace = serviceEnv(service('temporal-setup')).TEMPORAL_NAMESPACE;
    for (const name of MLGATE_SERVICES) {
      const c = configOf(name);
      expect({ name, address: c.MLGATE_TEMPORAL_ADDRESS, namespace: c.MLGATE_TEMPORAL_NAMESPACE }).toEqual({ name, address: 'temporal:7233', namespace: setupNamespace });
    }
  });

  it('points mail at the mailpit service on its SMTP port', () => {
    for (const name of MLGATE_SERVICES) {
      const c = configOf(name);
      expect({ name, host: c.MLGATE_SMTP_HOST, port: c.MLGATE_SMTP_PORT }).toEqual({ name, host: 'mailpit', port: 1025 });
    }
    expect(targets('mailpit').map((p) => p.target)).toContain(1025);
  });

  it('shares one data volume, mounted at MLGATE_DATA_DIR, between all mlgate services', () => {
    for (const name of MLGATE_SERVICES) {
      const c = configOf(name);
      expect(service(name).volumes).toContain(`mlgate-data:${c.MLGATE_DATA_DIR}`);
    }
    expect(compose.volumes).toHaveProperty('mlgate-data');
  });

  it('refers only to services that exist in every depends_on', () => {
    const names = Object.keys(compose.services);
    const dangling = Object.entries(compose.services).flatMap(([name, s]) => Object.keys(s.depends_on ?? {}).filter((d) => !names.includes(d)).map((d) => `${name} -> ${d}`));
    expect(dangling).toEqual([]);
  });

  it('starts mlgate only after Temporal is healthy and the search attributes are registered', () => {
    expect(service('temporal').healthcheck).toBeDefined();
    expect(service('temporal').depends_on?.postgresql?.condition).toBe('service_healthy');
    expect(service('postgresql').healthcheck).toBeDefined();
    for (const name of MLGATE_SERVICES) {
      expect(service(name).depends_on).toMatchObject({ temporal: { condition: 'service_healthy' }, 'temporal-setup': { condition: 'service_completed_successfully' } });
    }
  });

  it('registers exactly the search attributes the workflows set, all as Keyword', () => {
    const setup = service('temporal-setup');
    const names = serviceEnv(setup).KEYWORD_SEARCH_ATTRIBUTES.split(/\s+/).filter(Boolean);
    expect([...names].sort()).toEqual(SEARCH_ATTRIBUTES.map((k) => k.name).sort());
    expect(SEARCH_ATTRIBUTES.map((k) => k.type)).toEqual(SEARCH_ATTRIBUTES.map(() => 'KEYWORD'));
    expect(setup.command).toEqual(['/setup/register-search-attributes.sh']);
    expect(setup.volumes).toContain('./deploy/temporal/register-search-attributes.sh:/setup/register-search-attributes.sh:ro');
  });

  it('ships a setup script that is valid sh and creates each listed attribute as Keyword, tolerating "already exists"', () => {
    const script = path.join(REPO_ROOT, 'deploy/temporal/register-search-attributes.sh');
    execFileSync('sh', ['-n', script]);
    const text = readFileSync(script, 'utf8');
    expect(text).toMatch(/for name in \$KEYWORD_SEARCH_ATTRIBUTES; do/);
    expect(text).toMatch(/temporal operator search-attribute create --namespace "\$NAMESPACE" --name "\$name" --type Keyword/);
    expect(text).toMatch(/already exists/);
  });

  it('hard-codes no secret: every secret, token, salt and password is a required host variable', () => {
    const offenders = Object.entries(raw.services).flatMap(([name, s]) =>
      Object.entries(s.environment ?? {})
        .filter(([k, v]) => SECRET_KEY.test(k) && !/^\$\{[A-Za-z_][A-Za-z0-9_]*:\?[^}]*\}$/.test(String(v)))
        .map(([k, v]) => `${name}.${k}=${String(v)}`),
    );
    expect(offenders).toEqual([]);
  });

  it('refuses to start when a required secret is missing, and names it', () => {
    for (const name of ['MLGATE_APPROVAL_SECRET', 'MLGATE_ADMIN_TOKEN', 'MLGATE_PII_SALT', 'POSTGRES_PASSWORD']) {
      const { [name]: _dropped, ...rest } = hostEnv;
      expect(() => loadCompose(rest)).toThrow(new RegExp(`required variable ${name} is missing a value`));
    }
  });

  it('runs each mlgate service with the CLI subcommand it is named for, from this repository\'s Dockerfile', () => {
    expect(MLGATE_SERVICE_COMMANDS).toEqual(['worker', 'gateway', 'server']);
    for (const cmd of MLGATE_SERVICE_COMMANDS) {
      const s = service(MLGATE_COMPOSE_SERVICES[cmd]);
      expect(s.command).toEqual([cmd]);
      expect(s.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    }
    const built = Object.entries(compose.services).filter(([, s]) => s.build).map(([n]) => n);
    expect(built.sort()).toEqual([...MLGATE_SERVICES].sort());
  });

  it('pins every pulled image to an explicit version tag', () => {
    const unpinned = Object.entries(compose.services)
      .filter(([, s]) => !s.build)
      .map(([name, s]) => `${name}: ${s.image ?? '(no image)'}`)
      .filter((entry) => !/:[^:/]*\d[^:/]*$/.test(entry) || /:latest$/.test(entry));
    expect(unpinned).toEqual([]);
  });

  it('bind-mounts only files that exist in the repository', () => {
    const sources = Object.values(compose.services).flatMap((s) => (s.volumes ?? []).map((v) => v.split(':')[0]).filter((src) => src.startsWith('./')));
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((src) => !existsSync(path.join(REPO_ROOT, src)))).toEqual([]);
  });

  it('rejects a lone dollar sign the way compose does, so an unescaped $(cmd) cannot slip in', () => {
    expect(() => interpolate('run $(openssl rand -hex 32)', {})).toThrow(/write a literal \$ as \$\$/);
    expect(interpolate('cost $$5 ${A:-x} ${B:?b}', { B: 'y' })).toBe('cost $5 x y');
  });
});
