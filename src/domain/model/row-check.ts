/**
 * What a serving request's rows must satisfy before a model answers them. Missing features are
 * fine (they are imputed, exactly as in training), and so are extra columns. A row that carries
 * none of the model's features, or a value of the wrong kind, is the caller's mistake: it gets a
 * 400 naming the row and the feature instead of a silently imputed answer, and it never counts
 * against the version's error rate. Pure.
 */
import type { FeatureTransform, Row } from './bundle';

const MAX_PROBLEMS = 20;
const MAX_QUOTED = 40;

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}… (${text.length} characters)` : text;
}

const missing = (v: unknown) => v === undefined || v === null || v === '';

function valueProblem(f: FeatureTransform, v: unknown): string | undefined {
  if (missing(v)) return undefined;
  if (f.kind === 'numeric') {
    if (typeof v === 'number') return Number.isFinite(v) ? undefined : `expected a finite number, got ${describe(v)}`;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return undefined;
    return `expected a number, got ${describe(v)}`;
  }
  return typeof v === 'object' ? `expected a category (a string or number), got ${describe(v)}` : undefined;
}

/** The features to name in a message; built only for a row that has none (this runs on every prediction). */
function expectedFeatures(features: readonly FeatureTransform[]): string {
  const names = features.map((f) => f.name);
  return names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
}

/** Problems with `rows` for a model with these features, as `rows.<i>[.<feature>]: …`; empty when all are fine. */
export function rowProblems(features: readonly FeatureTransform[], rows: readonly Row[]): string[] {
  const problems: string[] = [];
  for (let i = 0; i < rows.length && problems.length < MAX_PROBLEMS; i++) {
    const row = rows[i];
    if (features.every((f) => missing(row[f.name]))) {
      problems.push(`rows.${i}: none of the model's features is present; send ${expectedFeatures(features)}`);
      continue;
    }
    for (const f of features) {
      const p = valueProblem(f, row[f.name]);
      if (p) problems.push(`rows.${i}.${f.name}: ${p}`);
    }
  }
  return problems.slice(0, MAX_PROBLEMS);
}
