/**
 * The `synthetic-credit` data source: a seeded, deterministic credit-scoring data set with a
 * protected attribute (gender), PII (name, email), a time column (applied_at) and a `default`
 * label drawn from a logistic function of the features. `drift` shifts income down and debt up,
 * so the same generator feeds both training and drift demos.
 */
import { sigmoid } from '../model/bundle';
import { mulberry32, normal, pick } from './prng';

export interface SyntheticCreditOptions {
  /** Number of rows. */
  rows: number;
  /** PRNG seed. */
  seed: number;
  /** 0 = reference population; larger values shift income and debt. @default 0 */
  drift?: number;
}

export type CreditRow = {
  age: number;
  income: number;
  debt_ratio: number;
  credit_lines: number;
  late_payments: number;
  region: string;
  gender: string;
  name: string;
  email: string;
  applied_at: string;
  default: number;
};

export const SYNTHETIC_CREDIT_COLUMNS = [
  'age', 'income', 'debt_ratio', 'credit_lines', 'late_payments', 'region', 'gender', 'name', 'email', 'applied_at', 'default',
] as const;

const REGIONS = ['north', 'south', 'east', 'west'] as const;
const REGION_RISK: Record<string, number> = { north: -0.2, south: 0.3, east: 0, west: 0.1 };
const FIRST = ['ana', 'ben', 'chloe', 'dev', 'eva', 'finn', 'gita', 'hugo', 'ines', 'jon', 'kai', 'lena'] as const;
const LAST = ['smith', 'garcia', 'muller', 'rossi', 'kim', 'nguyen', 'okafor', 'silva', 'novak', 'dubois'] as const;
// Fixed epoch (2024-01-01T00:00:00Z): generated data must not depend on the clock.
const START_MS = Date.UTC(2024, 0, 1);
const YEAR_MS = 365 * 86_400_000;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function creditRow(rand: () => number, i: number, n: number, drift: number): CreditRow {
  const age = Math.round(clamp(42 + 12 * normal(rand), 19, 85));
  const income = round(Math.exp(10.8 + 0.45 * normal(rand) - 0.12 * drift), 2);
  const debtRatio = round(clamp(0.32 + 0.14 * normal(rand) + 0.06 * drift, 0, 1.5), 4);
  const creditLines = Math.floor(rand() * 12);
  const latePayments = Math.min(9, Math.floor(-Math.log(1 - rand()) * 0.9));
  const region = pick(rand, REGIONS);
  const gender = rand() < 0.5 ? 'female' : 'male';
  const first = pick(rand, FIRST);
  const last = pick(rand, LAST);
  const z = -1.4 + 7 * (debtRatio - 0.32) + 0.9 * latePayments - 1.8 * (Math.log(income) - 10.8)
    - 0.025 * (age - 42) + 0.05 * (creditLines - 5) + REGION_RISK[region];
  const label = rand() < sigmoid(z) ? 1 : 0;
  const at = START_MS + Math.floor(((i + rand()) / n) * YEAR_MS);
  return {
    age, income, debt_ratio: debtRatio, credit_lines: creditLines, late_payments: latePayments, region, gender,
    name: `${first} ${last}`, email: `${first}.${last}${i}@example.com`, applied_at: new Date(at).toISOString(), default: label,
  };
}

/** Generates the data set. Same options, same rows, in the same order. */
export function generateSyntheticCredit(options: SyntheticCreditOptions): CreditRow[] {
  const rand = mulberry32(options.seed);
  const drift = options.drift ?? 0;
  const rows: CreditRow[] = [];
  for (let i = 0; i < options.rows; i++) rows.push(creditRow(rand, i, options.rows, drift));
  return rows;
}
