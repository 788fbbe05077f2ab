/**
 * Real models through whole releases on a real Temporal server: the shipped scikit-learn and
 * XGBoost example specs (Python training, ONNX export, evaluation through onnxruntime-node with the
 * parity check, a canary on real traffic through the real gateway, promotion), and a latency fault
 * on an ONNX candidate rolled back by itself, as for linear models.
 */
import path from 'node:path';
import { createGatewayAdmin } from '../../../src/adapters/gateway/gateway-admin';
import { loadSpecFile } from '../../../src/cli/spec-file';
import type { ModelSpecInput } from '../../../src/domain/spec';
import { statusQuery } from '../../../src/workflows/messages';
import { ADMIN_TOKEN, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { expectOutcome } from '../../helpers/outcome';

jest.setTimeout(400_000);

const EXAMPLES = path.resolve(__dirname, '../../../examples');

/** The shipped spec, with a test's model id and the short bakes the other release tests use. */
function exampleSpec(name: string, model: string, trainer?: Partial<{ params: Record<string, number> }>): { spec: ModelSpecInput; dir: string } {
  const { spec, dir } = loadSpecFile(path.join(EXAMPLES, name, 'model.yaml'));
  return {
    dir,
    spec: {
      ...spec, id: model,
      ...(trainer?.params && spec.trainer.kind === 'external' ? { trainer: { ...spec.trainer, params: { ...spec.trainer.params, ...trainer.params } } } : {}),
      slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '4s', onInconclusive: 'rollback' },
      strategy: { kind: 'canary', steps: [50, 100], stepBake: '1500ms', postPromotionWatch: '1500ms' },
    },
  };
}

describe('ONNX models released end to end', () => {
  let env: ReleaseEnv;
  beforeAll(async () => {
    env = await openReleaseEnv();
  });
  afterAll(async () => env?.close());

  async function release(name: string, model: string, params?: Record<string, number>) {
    const { spec, dir } = exampleSpec(name, model, params ? { params } : undefined);
    const handle = await env.startRelease(spec, { specDir: dir });
    await waitForStage(() => handle.query(statusQuery), (s) => s.stage === 'awaiting_deploy_approval' || s.stage === 'done', 240_000);
    return handle;
  }

  async function promote(name: string, model: string) {
    const handle = await release(name, model);
    const atGate = await handle.query(statusQuery);
    expect({ stage: atGate.stage, reasons: atGate.reasons }).toEqual({ stage: 'awaiting_deploy_approval', reasons: [] });
    await env.decide(handle, 'deploy', 'alice@example.com');
    const traffic = env.flowingTraffic(model);
    await waitForStage(() => handle.query(statusQuery), (s) => s.stage === 'awaiting_promote_approval' || s.stage === 'done', 180_000);
    await env.decide(handle, 'promote', 'bob@example.com');
    const result = await handle.result();
    const stats = await traffic.stop();
    return { handle, result, stats, status: await handle.query(statusQuery) };
  }

  it.each([
    ['sklearn-credit', 'scikit-learn', 'skl2onnx'],
    ['xgboost-credit', 'xgboost', 'onnxmltools'],
  ])('releases the shipped %s spec: Python training, ONNX, parity, a canary on real traffic, promotion', async (name, framework, converter) => {
    const model = unique(name.split('-')[0]);
    const { result, stats, status } = await promote(name, model);
    expectOutcome(result, 'promoted');
    expect(status.evidence.offline.metrics.auc).toBeGreaterThan(0.7);
    const cardJson = JSON.parse((await env.opened.deps.pipeline.artifactStore.readFile(result.artifactId as string, 'model-card.json')).toString()) as { parity: unknown };
    expect(cardJson.parity).toMatchObject({ kind: 'trainer-vs-onnxruntime', pass: true, mismatches: 0, labelMismatches: 0 });
    // The ONNX version answered real requests through the gateway, with no errors.
    expect(stats.versions[result.artifactId as string]).toBeGreaterThan(0);
    expect(stats.statusCodes['500'] ?? 0).toBe(0);
    const bundle = await env.opened.deps.pipeline.artifactStore.get(result.artifactId as string);
    expect(bundle).toMatchObject({ format: 'onnx/v1', producer: { framework, converter } });
    const card = (await env.opened.deps.pipeline.artifactStore.readFile(result.artifactId as string, 'model-card.md')).toString();
    expect(card).toMatch(new RegExp(`${framework} [0-9.]+, converted by ${converter}`));
    const answer = await fetch(`${env.gatewayUrl}/v1/models/${model}/predict`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rows: [{ age: 41, income: 52000, debt_ratio: 0.3, credit_lines: 4, late_payments: 0, region: 'north' }, { age: 'forty' }] }),
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(await answer.json())).toMatch(/rows\.1\.age: expected a number, got \\"forty\\"/);
  });

  it('ends rejected_offline with parity evidence and deploys nothing when the trainer\'s predictions come from another model', async () => {
    const model = unique('onnxpar');
    const { spec, dir } = exampleSpec('sklearn-credit', model);
    const python = path.resolve(EXAMPLES, '../.cache/python/bin/python');
    const variants = path.resolve(EXAMPLES, '../test/fixtures/trainers/onnx-variants.py');
    const trainer = { kind: 'external' as const, command: [python, variants], params: { nEstimators: 30, variant: 'other-model' }, seed: 7, timeout: '5m' };
    const handle = await env.startRelease({ ...spec, trainer }, { specDir: dir });
    const result = await handle.result();
    expectOutcome(result, 'rejected_offline');
    expect(result.reasons).toEqual([expect.stringMatching(/^parity: training-serving predictions differ by up to 0\.\d+ in \d+ of \d+ rows/)]);
    const card = JSON.parse((await env.opened.deps.pipeline.artifactStore.readFile(result.artifactId as string, 'model-card.json')).toString()) as { parity: { firstDiffs: unknown[] } };
    expect(card.parity.firstDiffs).toHaveLength(5);
    expect(await env.opened.deps.pipeline.registry.getAliases(model)).toEqual({ champion: null, previous: null, candidate: null });
    expect(await createGatewayAdmin({ adminUrl: env.gatewayAdminUrl, token: ADMIN_TOKEN }).getRouting(model)).toBeNull();
  });

  it('rolls an ONNX candidate back by itself when it gets slow in its canary', async () => {
    const model = unique('onnxlat');
    const first = await promote('sklearn-credit', model);
    expectOutcome(first.result, 'promoted');
    const handle = await release('sklearn-credit', model, { nEstimators: 60 });
    const candidate = (await handle.query(statusQuery)).artifactId as string;
    const traffic = env.flowingTraffic(model);
    await env.decide(handle, 'deploy', 'alice@example.com');
    await waitForStage(async () => (await createGatewayAdmin({ adminUrl: env.gatewayAdminUrl, token: ADMIN_TOKEN }).getRouting(model))?.candidate?.version, (v) => v === candidate, 120_000);
    await createGatewayAdmin({ adminUrl: env.gatewayAdminUrl, token: ADMIN_TOKEN }).injectFault({ model, version: candidate, latencyMs: 300 });
    const result = await handle.result();
    await traffic.stop();
    expectOutcome(result, 'rolled_back');
    const routing = await createGatewayAdmin({ adminUrl: env.gatewayAdminUrl, token: ADMIN_TOKEN }).getRouting(model);
    expect(routing).toMatchObject({ stable: { version: first.result.artifactId } });
    expect(routing?.candidate).toBeUndefined();
  });
});
