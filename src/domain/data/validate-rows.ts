/**
 * Validates and normalizes raw rows (from CSV, JSON Lines or a generator) against the spec's data
 * section: the label and every feature column must exist, numeric features must be numbers.
 * Numeric features become numbers, categorical features strings; classification labels become
 * strings and regression labels numbers. Every problem names the source, the line and the column.
 */
import { z } from 'zod';
import type { Row } from '../model/bundle';
import type { DataSpec } from '../spec';

export interface RawRow {
  /** 1-based line in the source file (or the row number for generated data). */
  line: number;
  values: Row;
}

export type ValidateResult = { ok: true; rows: Row[] } | { ok: false; problems: string[] };

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Error messages quote at most this much of a bad value: a 4 MB cell must not become a 4 MB error. */
const MAX_QUOTED = 40;
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}… (${text.length} characters)` : text;
}
const finite = (n: number) => Number.isFinite(n);
/** No real number needs more characters than this in a data file. */
const MAX_NUMBER_TEXT = 400;
const NumericSchema = z.union([
  z.number().refine(finite, 'expected a finite number'),
  // Length first: a regular expression over a 4 MB cell can exhaust the stack. And "9" repeated a
  // million times would match yet overflow to Infinity, so finiteness is checked after converting.
  z.string().trim().refine((t) => t.length <= MAX_NUMBER_TEXT && NUMERIC_TEXT.test(t), 'expected a number').transform(Number).refine(finite, 'expected a finite number (the value overflows)'),
], { error: (issue) => `expected a number, got ${quote(issue.input)}` });
const CategorySchema = z.union([z.string(), z.number(), z.boolean()], { error: 'expected a text or number category' }).transform(String);

function rowSchema(data: DataSpec, task: 'binary-classification' | 'regression') {
  const shape: Record<string, z.ZodType> = {};
  const categorical = new Set(data.categorical);
  for (const f of data.features) shape[f] = categorical.has(f) ? CategorySchema : NumericSchema;
  shape[data.label] = task === 'regression' ? NumericSchema : CategorySchema;
  return z.looseObject(shape);
}

/** The columns a spec needs that the first row lacks (one message instead of one per row). */
export function missingColumns(data: DataSpec, columns: readonly string[]): string[] {
  const have = new Set(columns);
  return [data.label, ...data.features].filter((c) => !have.has(c));
}

/** Problems are capped so a bad million-row file still gives a readable message. */
export function validateRows(opts: { source: string; data: DataSpec; task: 'binary-classification' | 'regression'; rows: RawRow[]; maxProblems?: number }): ValidateResult {
  const { source, data, rows } = opts;
  const max = opts.maxProblems ?? 10;
  if (rows.length === 0) return { ok: false, problems: [`${source}: no data rows; the file must have a header and at least one row`] };
  const missing = missingColumns(data, Object.keys(rows[0].values));
  if (missing.length) {
    const found = Object.keys(rows[0].values).join(', ');
    return { ok: false, problems: [`${source}: missing column(s) ${missing.map((m) => `"${m}"`).join(', ')} (found: ${found}); fix data.label/data.features in the spec or the file's header`] };
  }
  const schema = rowSchema(data, opts.task);
  const out: Row[] = [];
  const problems: string[] = [];
  for (const raw of rows) {
    const r = schema.safeParse(raw.values);
    if (r.success) out.push(r.data as Row);
    else for (const issue of r.error.issues) {
      if (problems.length < max) problems.push(`${source}:${raw.line}: column "${issue.path.map(String).join('.')}": ${issue.message}`);
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, rows: out };
}
