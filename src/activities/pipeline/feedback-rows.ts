/**
 * Labels that people gave in production (review queue, delayed feedback) flow back into the next
 * snapshot. The monitor exports them to <dataDir>/feedback/<model>/labelled.jsonl; the snapshot
 * adds them to the TRAINING split only, so the test set stays comparable with the champion's.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Row } from '../../domain/model/bundle';
import type { ModelSpec } from '../../domain/spec';
import { dataError } from './failures';

export const labelledRowsPath = (dataDir: string, model: string) => path.join(dataDir, 'feedback', model, 'labelled.jsonl');

/** Only the spec's features and label are kept: a labelled row never brings PII or ids along. */
export async function readLabelledRows(dataDir: string, spec: ModelSpec): Promise<Row[]> {
  const file = labelledRowsPath(dataDir, spec.id);
  if (!existsSync(file)) return [];
  const keep = [...spec.data.features, spec.data.label];
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  return lines.map((line, i) => {
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw dataError(`${file}:${i + 1}: not a JSON object; fix or delete the line`);
    }
    if (raw[spec.data.label] === undefined || raw[spec.data.label] === null) throw dataError(`${file}:${i + 1}: no "${spec.data.label}" label`);
    return Object.fromEntries(keep.filter((k) => k in raw).map((k) => [k, raw[k]]));
  });
}
