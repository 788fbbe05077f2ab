/**
 * Test fixtures: two hand-built logistic bundles (2 numeric features) written to real files, and a
 * real gateway on ephemeral loopback ports that loads them from disk.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelBundleSchema, type ModelBundle, type Row } from '../../../src/domain/model/bundle';
import { createGateway, type Gateway, type GatewayOptions } from '../../../src/gateway';
import { createGatewayAdmin, type GatewayAdmin } from '../../../src/adapters/gateway/gateway-admin';
import type { RoutingStore } from '../../../src/ports/routing-store';

export const TOKEN = 'test-admin-token-0123456789';
export const MODEL = 'credit';

function logistic(bias: number, weights: [number, number]): ModelBundle {
  return ModelBundleSchema.parse({
    format: 'mlgate-linear/v1',
    task: 'binary-classification',
    algorithm: 'logistic-regression',
    features: [
      { name: 'income', kind: 'numeric', mean: 50, std: 10 },
      { name: 'debt', kind: 'numeric', mean: 20, std: 5 },
    ],
    weights,
    bias,
    labels: { positive: 'approve', negative: 'deny' },
  });
}

/** Stable and a candidate that differs slightly (agrees on most rows), and one that inverts the decision. */
export const BUNDLES: Record<string, ModelBundle> = {
  'v-stable': logistic(0, [1.5, -1]),
  'v-candidate': logistic(0.3, [1.45, -1]),
  'v-inverted': logistic(0, [-1.5, 1]),
};

/** Rows spread across the decision boundary, deterministic. */
export const ROWS: Row[] = Array.from({ length: 50 }, (_, i) => ({ income: 30 + ((i * 7) % 41), debt: 10 + ((i * 3) % 21) }));

export interface TestGateway {
  gateway: Gateway;
  url: string;
  adminUrl: string;
  admin: GatewayAdmin;
  stateDir: string;
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function writeBundles(dir: string): Promise<void> {
  for (const [id, b] of Object.entries(BUNDLES)) await writeFile(join(dir, `${id}.json`), JSON.stringify(b));
}

/** openRouting / openPredictionLog: PostgreSQL's for replica tests. @default routing.json and predictions.sqlite in the state folder */
export async function startTestGateway(
  opts: { faultInjection?: boolean; openRouting?: () => Promise<RoutingStore> } & Pick<GatewayOptions, 'openPredictionLog' | 'feedbackWaitMs'> = {},
): Promise<TestGateway> {
  const root = await mkdtemp(join(tmpdir(), 'mlgate-gw-'));
  await writeBundles(root);
  const stateDir = join(root, 'state');
  const make = () =>
    createGateway({
      adminToken: TOKEN,
      stateDir,
      faultInjection: opts.faultInjection,
      ...(opts.openRouting ? { openRouting: opts.openRouting } : {}),
      ...(opts.openPredictionLog ? { openPredictionLog: opts.openPredictionLog } : {}),
      ...(opts.feedbackWaitMs !== undefined ? { feedbackWaitMs: opts.feedbackWaitMs } : {}),
      loadBundle: async (id) => ModelBundleSchema.parse(JSON.parse(await readFile(join(root, `${id}.json`), 'utf8'))),
    });
  const t = { gateway: make(), url: '', adminUrl: '', admin: null as unknown as GatewayAdmin, stateDir };
  const boot = async () => {
    const { url, adminUrl } = await t.gateway.start();
    Object.assign(t, { url, adminUrl, admin: createGatewayAdmin({ adminUrl, token: TOKEN }) });
  };
  await boot();
  return Object.assign(t, {
    async restart() {
      await t.gateway.stop();
      t.gateway = make();
      await boot();
    },
    async close() {
      await t.gateway.stop();
      await rm(root, { recursive: true, force: true });
    },
  });
}

export async function predict(url: string, rows: Row[], headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/v1/models/${MODEL}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ rows }) });
  return { status: res.status, version: res.headers.get('x-mlgate-version'), body: (await res.json()) as Record<string, unknown> & { predictions?: { label: string; score: number; confidence: number }[]; version?: string } };
}
