/**
 * Seeded A/B users over real HTTP: each user predicts once through the gateway with its user key,
 * then posts a 0/1 conversion as feedback, drawn with the rate of the arm that answered it. Used by
 * the A/B integration tests and the history recorder.
 */
import { mulberry32 } from '../../src/domain/data/prng';
import { generateSyntheticCredit } from '../../src/domain/data/synthetic-credit';
import type { ModelSpecInput } from '../../src/domain/spec';
import { creditSpec, type ReleaseEnv } from './release-env';

export const USER_KEY = 'x-user-id';
/** Upper bound on users sent; callers stop as soon as the release has left the rollout. */
const MAX_USERS = 3000;
const ROWS = generateSyntheticCredit({ rows: 50, seed: 5, drift: 0 }) as unknown as Record<string, unknown>[];

/** A conversion experiment, half the users each way, that a large effect decides within a few hundred users. */
export function abSpec(model: string, overrides: Partial<ModelSpecInput> = {}): ModelSpecInput {
  return creditSpec(model, {
    trainer: { kind: 'builtin', params: { epochs: 60, learningRate: 0.2 }, seed: 11 },
    strategy: { kind: 'ab', userKey: USER_KEY, candidateShare: 0.5, kpi: { kind: 'conversion' }, minEffect: 0.2, alpha: 0.05, maxDuration: '5m', pollEvery: '500ms', postPromotionWatch: '1s' },
    ...overrides,
  });
}

export interface PredictReply {
  status: number;
  body: { version?: string; predictionIds?: string[]; message?: string };
}

export async function predictAs(env: ReleaseEnv, model: string, user: string | null, row: Record<string, unknown> = ROWS[0]): Promise<PredictReply> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(user ? { [USER_KEY]: user } : {}) };
  const res = await fetch(`${env.gatewayUrl}/v1/models/${model}/predict`, { method: 'POST', headers, body: JSON.stringify({ rows: [row] }) });
  return { status: res.status, body: (await res.json()) as PredictReply['body'] };
}

async function sendKpi(env: ReleaseEnv, model: string, predictionId: string, kpi: number): Promise<void> {
  const res = await fetch(`${env.gatewayUrl}/v1/models/${model}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ feedback: [{ predictionId, kpi }] }) });
  if (res.status !== 200) throw new Error(`feedback answered ${res.status}: ${await res.text()}`);
}

/** Users one after another until `done()` holds (checked every 20 users); returns the arm each user got. */
export interface SeededUsers {
  candidate: string;
  /** Conversion rate of each arm. */
  rates: { candidate: number; control: number };
  seed: number;
  done: () => Promise<boolean>;
}

export async function seededUsers(env: ReleaseEnv, model: string, o: SeededUsers): Promise<Map<string, string>> {
  const rand = mulberry32(o.seed);
  const arms = new Map<string, string>();
  for (let u = 0; u < MAX_USERS; u++) {
    if (u % 20 === 0 && (await o.done())) return arms;
    const user = `user-${o.seed}-${u}`;
    const r = await predictAs(env, model, user, ROWS[u % ROWS.length]);
    if (r.status !== 200 || !r.body.version || !r.body.predictionIds) throw new Error(`predict answered ${r.status}: ${JSON.stringify(r.body)}`);
    arms.set(user, r.body.version);
    const rate = r.body.version === o.candidate ? o.rates.candidate : o.rates.control;
    await sendKpi(env, model, r.body.predictionIds[0], rand() < rate ? 1 : 0);
  }
  throw new Error(`the experiment did not end within ${MAX_USERS} users`);
}
