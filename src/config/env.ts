/**
 * The one place that reads process.env. Parsed once at start-up with zod; a wrong value stops
 * start-up with one line naming the variable and what is allowed. Everything else receives
 * `Config` as an argument.
 */
import path from 'node:path';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/client';
import { z } from 'zod';

const port = (def: number) => z.coerce.number({ error: 'must be a TCP port 1-65535' }).int('must be a TCP port 1-65535').min(1, 'must be a TCP port 1-65535').max(65535, 'must be a TCP port 1-65535').default(def);
const count = () => z.coerce.number({ error: 'must be a whole number from 1' }).int('must be a whole number from 1').min(1, 'must be a whole number from 1');
const host = (def: string) => z.string().min(1).default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be one of true, false, 1, 0, yes, no' })
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
const secret = (name: string) =>
  z.string().min(16, `must be at least 16 characters; generate one with: openssl rand -hex 32, and export ${name}`);

/**
 * A worker's bounds: what does not fit waits in Temporal, none is lost. Sized so 200 concurrent
 * releases stay in the cache (an evicted release is replayed from history every time it wakes,
 * which cost 3x the throughput at a cache of 50; README, worker memory).
 */
export const WORKER_LIMIT_DEFAULTS = { maxCachedWorkflows: 250, maxConcurrentActivities: 40, maxConcurrentWorkflowTasks: 10 } as const;

/**
 * How far V8 lets a heap grow past what was live after its last full collection, in percent
 * (V8's --heap-growing-percent); 0 leaves V8's own factor (up to 4x on a large machine). At 200
 * concurrent releases the workflow thread held about 330 MB live but grew to 1.3-1.4 GB with
 * V8's factor. 50 cut the worker's peak RSS by a quarter to a third (1467-1542 -> 1011-1110 MB)
 * with no loss of releases/min in either order; 20 halved it (-> 904-909 MB) but cost 15-19% of
 * the releases/min (bench/results/load-memory*.json), so 20 is an option, 50 the default.
 */
export const WORKER_HEAP_GROWING_PERCENT_DEFAULT = 50;

/** Every variable mlgate reads, with its default. Documented in the README's configuration table. */
export const EnvSchema = z.object({
  /** Temporal frontend address. Empty: `mlgate dev` starts an embedded dev server. @default "" */
  MLGATE_TEMPORAL_ADDRESS: z.string().regex(/^$|^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233').default(''),
  /** @default "default" */
  MLGATE_TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** Port of the embedded Temporal dev server. @default 7233 */
  MLGATE_TEMPORAL_PORT: port(7233),
  /** Port of the embedded Temporal UI. @default 8233 */
  MLGATE_TEMPORAL_UI_PORT: port(8233),
  /** Data folder: Temporal SQLite file, snapshots, artifacts, registry, gateway state. @default "./.mlgate" */
  MLGATE_DATA_DIR: z.string().min(1).default('.mlgate'),
  /** @default "mlgate-releases" */
  MLGATE_TASK_QUEUE: z.string().min(1).default('mlgate-releases'),
  /** Training activities may run on their own workers. @default "mlgate-training" */
  MLGATE_TRAINING_TASK_QUEUE: z.string().min(1).default('mlgate-training'),
  /** Address the HTTP servers bind to. @default "127.0.0.1" */
  MLGATE_HOST: host('127.0.0.1'),
  /** Admin listeners (gateway routing, fault injection): loopback unless configured. @default "127.0.0.1" */
  MLGATE_ADMIN_HOST: host('127.0.0.1'),
  /** @default 8080 */
  MLGATE_GATEWAY_PORT: port(8080),
  /** @default 8081 */
  MLGATE_GATEWAY_ADMIN_PORT: port(8081),
  /** Where workers reach the gateway's admin API. @default "http://127.0.0.1:<MLGATE_GATEWAY_ADMIN_PORT>" */
  MLGATE_GATEWAY_ADMIN_URL: z.url({ message: 'must be an absolute URL such as http://mlgate-gateway:8081' }).optional(),
  /** Where `mlgate traffic` sends predictions. @default "http://127.0.0.1:<MLGATE_GATEWAY_PORT>" */
  MLGATE_GATEWAY_URL: z.url({ message: 'must be an absolute URL such as http://127.0.0.1:8080' }).optional(),
  /** Where the CLI reaches the approvals server. @default "http://127.0.0.1:<MLGATE_SERVER_PORT>" */
  MLGATE_SERVER_URL: z.url({ message: 'must be an absolute URL such as http://127.0.0.1:8090' }).optional(),
  /** Folder of model specs: `mlgate release <model>` reads <dir>/<model>/model.yaml. @default "examples" */
  MLGATE_MODELS_DIR: z.string().min(1).default('examples'),
  /** Approvals server (API, email links). @default 8090 */
  MLGATE_SERVER_PORT: port(8090),
  /** Public base URL put into approval links. @default "http://127.0.0.1:8090" */
  MLGATE_PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://mlgate.example.com' }).default('http://127.0.0.1:8090'),
  /** SMTP relay. The embedded stack starts a catcher on this port when MLGATE_SMTP_HOST is loopback. @default "127.0.0.1" */
  MLGATE_SMTP_HOST: host('127.0.0.1'),
  /** @default 1025 */
  MLGATE_SMTP_PORT: port(1025),
  /** @default false */
  MLGATE_SMTP_SECURE: bool(false),
  MLGATE_SMTP_USER: z.string().optional(),
  MLGATE_SMTP_PASSWORD: z.string().optional(),
  /** @default "mlgate <mlgate@localhost>" */
  MLGATE_MAIL_FROM: z.string().min(3).default('mlgate <mlgate@localhost>'),
  /** Web mailbox of the embedded SMTP catcher. @default 8025 */
  MLGATE_MAILBOX_PORT: port(8025),
  /** HMAC secret for approval links. Required outside `mlgate dev` (which generates one per data folder). */
  MLGATE_APPROVAL_SECRET: secret('MLGATE_APPROVAL_SECRET').optional(),
  /** Admin token for the gateway's admin API. `mlgate dev` generates one per data folder. */
  MLGATE_ADMIN_TOKEN: secret('MLGATE_ADMIN_TOKEN').optional(),
  /** Salt for hashing PII columns. `mlgate dev` generates one per data folder. */
  MLGATE_PII_SALT: secret('MLGATE_PII_SALT').optional(),
  /** Fault injection on the gateway admin API (demos and tests only). @default false */
  MLGATE_FAULT_INJECTION: bool(false),
  /** Who you are for `mlgate approve` and `mlgate release` (the requester). @default $USER */
  MLGATE_USER: z.string().optional(),
  /** API token for the approvals server, used by the CLI. */
  MLGATE_API_TOKEN: z.string().optional(),
  /** Code version recorded in lineage. @default the git commit, else "dev" */
  MLGATE_CODE_VERSION: z.string().optional(),
  /** Explicit path of the Temporal CLI binary (first in the resolution order). */
  MLGATE_TEMPORAL_CLI: z.string().optional(),
  /** Explicit path of the time-skipping test server binary. */
  MLGATE_TEMPORAL_TEST_SERVER: z.string().optional(),
  /** Workflow executions a worker keeps in memory; more are evicted and replayed from history when they next wake. @default 250 */
  MLGATE_WORKER_MAX_CACHED_WORKFLOWS: count().default(WORKER_LIMIT_DEFAULTS.maxCachedWorkflows),
  /** Activities a worker runs at once (training, evaluation, watches); more wait in the task queue. @default 40 */
  MLGATE_WORKER_MAX_CONCURRENT_ACTIVITIES: count().default(WORKER_LIMIT_DEFAULTS.maxConcurrentActivities),
  /** Workflow tasks a worker runs at once; more wait in the task queue. @default 10 */
  MLGATE_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: count().default(WORKER_LIMIT_DEFAULTS.maxConcurrentWorkflowTasks),
  /**
   * Threads running workflow code in a worker. 2 did 19% more releases/min at 200 concurrent on 2
   * cores but took 100 MB more (535 against 434 MB; bench/results/load-threads*.json). @default 1
   */
  MLGATE_WORKER_WORKFLOW_THREADS: count().max(16, 'must be a whole number from 1 to 16').default(1),
  /** A worker process's V8 heap growth past live memory, in percent (20 halves peak RSS, costs throughput); 0 leaves V8's own factor. @default 50 */
  MLGATE_WORKER_HEAP_GROWING_PERCENT: z.coerce.number({ error: 'must be a whole number from 0 to 400' }).int('must be a whole number from 0 to 400').min(0, 'must be a whole number from 0 to 400').max(400, 'must be a whole number from 0 to 400').default(WORKER_HEAP_GROWING_PERCENT_DEFAULT),
  /** PostgreSQL for mlgate's registry when several workers share it (scale-out). Empty: SQLite in the data folder. */
  MLGATE_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// URL such as postgres://mlgate:<password>@db:5432/mlgate').optional(),
  /** Where rollout and monitor metrics come from: the gateway's own windows, or Prometheus (several gateway replicas). @default "gateway" */
  MLGATE_METRICS_SOURCE: z.enum(['gateway', 'prometheus'], { message: 'must be gateway or prometheus' }).default('gateway'),
  /** Prometheus server that scrapes every gateway's /metrics; needed with MLGATE_METRICS_SOURCE=prometheus. */
  MLGATE_PROMETHEUS_URL: z.url({ message: 'must be an absolute URL such as http://prometheus:9090' }).optional(),
  /** Largest model.onnx an external trainer may hand over, in MiB. @default 512 */
  MLGATE_MAX_MODEL_MB: count().default(512),
  /** @default "info" */
  MLGATE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
});
export type Env = z.infer<typeof EnvSchema>;

/**
 * How to reach Temporal beyond the address: TLS (server CA, client certificate for mTLS, server
 * name), an API key (Temporal Cloud) and gRPC metadata, read with Temporal's own conventions
 * (`@temporalio/envconfig`: the TEMPORAL_* variables, and a TOML profile file when
 * TEMPORAL_CONFIG_FILE or TEMPORAL_PROFILE is set). Spread into every Connection.connect and
 * NativeConnection.connect; secrets stay in this process, never in workflow inputs.
 */
export interface TemporalConnection {
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

export interface Config extends Env {
  temporalConnection: TemporalConnection;
  /** MLGATE_DATA_DIR made absolute. */
  dataDir: string;
  gatewayAdminUrl: string;
  gatewayUrl: string;
  serverUrl: string;
  /** PATH handed to external trainers (they get no other variable of ours). */
  systemPath: string;
  /** MLGATE_USER, else the login name ($USER): who the CLI acts as. */
  user?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Parses the environment. Throws ConfigError with one line per bad variable: `MLGATE_X=value: what is allowed`. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // MLGATE_TEST_* belongs to the test harness, not to the product.
  const relevant = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('MLGATE_') && !k.startsWith('MLGATE_TEST_') && v !== undefined && v !== ''));
  const r = EnvSchema.strict()
    .refine((e) => e.MLGATE_METRICS_SOURCE !== 'prometheus' || e.MLGATE_PROMETHEUS_URL, {
      path: ['MLGATE_PROMETHEUS_URL'], message: 'must be set when MLGATE_METRICS_SOURCE=prometheus (the Prometheus that scrapes the gateways, e.g. http://prometheus:9090)',
    })
    .safeParse(relevant);
  if (!r.success) {
    throw new ConfigError(
      r.error.issues.map((i) => {
        if (i.code === 'unrecognized_keys') return `Invalid configuration: unknown variable ${i.keys.join(', ')}; the known ones are listed in the README (configuration)`;
        const name = String(i.path[0]);
        return `Invalid configuration: ${name}=${JSON.stringify(relevant[name] ?? '')} ${i.message}`;
      }),
    );
  }
  const e = r.data;
  const temporal = temporalFromEnvconfig(env);
  return {
    ...e,
    // MLGATE_TEMPORAL_* win; otherwise Temporal's own TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE (or the profile) apply.
    MLGATE_TEMPORAL_ADDRESS: e.MLGATE_TEMPORAL_ADDRESS || temporal.address || '',
    MLGATE_TEMPORAL_NAMESPACE: env.MLGATE_TEMPORAL_NAMESPACE ? e.MLGATE_TEMPORAL_NAMESPACE : (temporal.namespace ?? e.MLGATE_TEMPORAL_NAMESPACE),
    temporalConnection: temporal.connection,
    dataDir: path.resolve(e.MLGATE_DATA_DIR),
    gatewayAdminUrl: e.MLGATE_GATEWAY_ADMIN_URL ?? `http://127.0.0.1:${e.MLGATE_GATEWAY_ADMIN_PORT}`,
    gatewayUrl: e.MLGATE_GATEWAY_URL ?? `http://127.0.0.1:${e.MLGATE_GATEWAY_PORT}`,
    serverUrl: e.MLGATE_SERVER_URL ?? `http://127.0.0.1:${e.MLGATE_SERVER_PORT}`,
    systemPath: env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    user: e.MLGATE_USER ?? env.USER,
  };
}

/**
 * Temporal's client settings from its own conventions. The default profile file
 * (~/.config/temporalio/temporal.toml) is read only when TEMPORAL_CONFIG_FILE or TEMPORAL_PROFILE
 * asks for a profile, so a laptop's Temporal Cloud profile never turns `npm start` away from its
 * embedded server. A missing certificate file or a bad profile stops start-up with one line.
 */
function temporalFromEnvconfig(env: Record<string, string | undefined>): { address?: string; namespace?: string; connection: TemporalConnection } {
  const vars = Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => kv[0].startsWith('TEMPORAL_') && kv[1] !== undefined && kv[1] !== ''));
  let loaded;
  try {
    loaded = loadClientConnectConfig({ overrideEnvVars: vars, disableFile: !vars.TEMPORAL_CONFIG_FILE && !vars.TEMPORAL_PROFILE, configFileStrict: true });
  } catch (err) {
    const named = Object.keys(vars).filter((k) => k !== 'TEMPORAL_ADDRESS' && k !== 'TEMPORAL_NAMESPACE').join(', ') || 'TEMPORAL_CONFIG_FILE';
    throw new ConfigError([`Invalid configuration: the Temporal client settings (${named}) cannot be loaded: ${(err as Error).message}`]);
  }
  const o = loaded.connectionOptions;
  const connection: TemporalConnection = {
    ...(o.tls !== undefined && o.tls !== null ? { tls: o.tls } : {}),
    ...(typeof o.apiKey === 'string' ? { apiKey: o.apiKey } : {}),
    ...(o.metadata ? { metadata: o.metadata as Record<string, string> } : {}),
  };
  return { ...(o.address ? { address: o.address } : {}), ...(loaded.namespace ? { namespace: loaded.namespace } : {}), connection };
}

/** Names of every variable the code reads (docker-compose.yml is checked against this list). */
export const ENV_VARIABLES = Object.keys(EnvSchema.shape);
