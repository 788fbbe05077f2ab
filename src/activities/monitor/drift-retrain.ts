/**
 * `triggerDriftRetrain`: on a debounced drift alert, write the evidence file, start a release with
 * reason `drift` (through the `ReleaseStarter`, so ids stay `release-<model>-<n>`) unless one of this
 * model is already running, and mail the owner. Safe to retry: a retry finds the release it started
 * running in visibility and does not start another.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelSpec } from '../../domain/spec';
import type { Mailer } from '../../ports/mailer';
import type { MonitorGateway } from '../../ports/monitor-gateway';
import type { ReleaseStarter } from '../../ports/release-starter';
import type { CheckPeriodResult } from './check-period';
import { exportLabelledRows } from './export-labels';

export interface DriftRetrainInput {
  spec: ModelSpec;
  specDir: string;
  codeVersion: string;
  /** `monitor-<model>`; names the evidence file together with `period`. */
  monitorId: string;
  /** The monitor's period number (total, across continue-as-new). */
  period: number;
  evidence: CheckPeriodResult & { status: 'checked' };
  /** Whether to start a release or only alert. */
  retrain: boolean;
}

export interface DriftRetrainResult {
  evidencePath: string;
  /** Labelled predictions exported for the retrain's snapshot. */
  labelled: { path: string; rows: number };
  /** The release started now, or the running one that made starting pointless. */
  releaseId: string | null;
  started: boolean;
  mailed: boolean;
}

export interface DriftRetrainDeps {
  dataDir: string;
  mailer: Mailer;
  gateway: MonitorGateway;
  releases: ReleaseStarter;
}

function mailText(input: DriftRetrainInput, r: Omit<DriftRetrainResult, 'mailed'>): string {
  const e = input.evidence;
  const lines = e.drift.features.filter((f) => f.drifted).map((f) => `  - ${f.feature}: ${f.reason}`);
  const p = e.predictionDrift;
  if (p?.drifted && p.against === 'test-set') lines.push(`  - ${p.feature} (scores against ${p.referenceCount} test-set scores): ${p.reason}`);
  const action = !input.retrain ? 'Retraining on drift is off for this model (monitor.retrainOnDrift).' : r.started ? `Started retrain release ${r.releaseId} (reason: drift).` : `Did not start a retrain: release ${r.releaseId} of this model is already running.`;
  return [
    `Drift detected on ${input.spec.id} (champion ${e.champion}, snapshot ${e.snapshotId}) over ${e.samples} predictions in period ${input.period}.`,
    'Drifted:', ...lines, '', action, `Evidence: ${r.evidencePath}`, `Labelled predictions for the next snapshot: ${r.labelled.rows} in ${r.labelled.path}`, `Monitor: ${input.monitorId}`,
  ].join('\n');
}

export function createTriggerDriftRetrain(deps: DriftRetrainDeps) {
  return async function triggerDriftRetrain(input: DriftRetrainInput): Promise<DriftRetrainResult> {
    const model = input.spec.id;
    const dir = path.join(deps.dataDir, 'monitor', model);
    await mkdir(dir, { recursive: true });
    const evidencePath = path.join(dir, `drift-period-${input.period}.json`);
    await writeFile(evidencePath, JSON.stringify({ model, monitorId: input.monitorId, period: input.period, evidence: input.evidence }, null, 2));
    const labelled = await exportLabelledRows(deps, input.spec);
    let releaseId = await deps.releases.running(model);
    let started = false;
    if (input.retrain && !releaseId) {
      const r = await deps.releases.start({ spec: input.spec, specDir: input.specDir, requester: 'mlgate-monitor', reason: 'drift', reasonDetail: `drift evidence: ${evidencePath}`, codeVersion: input.codeVersion });
      releaseId = r.releaseId;
      started = true;
    }
    const result = { evidencePath, labelled, releaseId, started };
    await deps.mailer.send({ to: input.spec.owner, subject: `[mlgate] drift on ${model}${started ? `: retrain ${releaseId} started` : ''}`, text: mailText(input, result) });
    return { ...result, mailed: true };
  };
}
