/**
 * Labels back into training data: writes every labelled prediction (delayed feedback and review
 * labels) as a training row, kept inputs plus the spec's label column, to
 * `<dataDir>/feedback/<model>/labelled.jsonl`. Rewritten whole each time (temp file + rename), so
 * the file is always one consistent export. The drift retrain writes it before it starts the release.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelSpec } from '../../domain/spec';
import { labelledRowsPath } from '../pipeline/feedback-rows';
import type { MonitorGateway } from '../../ports/monitor-gateway';

export { labelledRowsPath };

/** Outcomes travel as strings; numeric ones go back to numbers so they match the source's label type. */
const labelValue = (outcome: string): string | number => (outcome.trim() !== '' && Number.isFinite(Number(outcome)) ? Number(outcome) : outcome);

export async function exportLabelledRows(deps: { dataDir: string; gateway: MonitorGateway }, spec: ModelSpec): Promise<{ path: string; rows: number }> {
  const rows = await deps.gateway.labelled(spec.id);
  const file = labelledRowsPath(deps.dataDir, spec.id);
  await mkdir(path.dirname(file), { recursive: true });
  const text = rows.map((r) => JSON.stringify({ ...r.inputs, [spec.data.label]: labelValue(r.outcome), prediction_id: r.predictionId })).join('\n');
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text === '' ? '' : `${text}\n`);
  await rename(tmp, file);
  return { path: file, rows: rows.length };
}
