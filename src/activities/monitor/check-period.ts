/**
 * `checkMonitorPeriod`: one period of watching the production model. Reads the champion from the
 * registry (so a promotion or a CLI rollback re-points it by itself), the new rows of the prediction
 * log, and the champion snapshot's reference statistics; returns feature and prediction drift, the
 * latency/error SLO and the online KPI verdict. Small result: it lands in the workflow history.
 *
 * Prediction drift is judged against the champion's test-set scores (`score-reference.json`, kept
 * at evaluation) from the first period, and counts in the drift verdict like a feature. An artifact
 * evaluated before that reference existed keeps the old way: its first period's own scores become
 * the baseline (carried by the workflow), and that comparison is shown but never alerts, since a
 * baseline of one period's scores is too noisy to alert on.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { numericStats, type NumericStats } from '../../domain/data/reference-stats';
import { featureDrift, judgeDrift, predictionDrift, ReferenceStatsSchema, type CurrentColumns, type DriftPolicy, type DriftVerdict, type FeatureDrift, type NumericReference, type ReferenceStats } from '../../domain/drift';
import { kpiVerdict, type KpiVerdict } from '../../domain/monitor/kpi-verdict';
import { monitorSettings } from '../../domain/monitor/monitor-spec';
import { monitoringConfig } from '../../domain/monitor/review-rules';
import type { ModelSpec } from '../../domain/spec';
import { durationMs } from '../../domain/duration';
import type { ArtifactStore } from '../../ports/artifact-store';
import type { MetricsSource } from '../../ports/metrics-source';
import type { Registry } from '../../ports/registry';
import type { MonitorGateway, PredictionsPage } from '../../ports/monitor-gateway';
import { readScoreReference } from '../score-reference-file';

export interface CheckPeriodInput {
  spec: ModelSpec;
  /** Last prediction-log seq already judged. */
  afterSeq: number;
  /** Score distribution of the champion's first conclusive period: the prediction reference of an artifact without a stored test-set one. */
  predictionBaseline?: NumericStats;
}

export interface FeatureLine {
  feature: string;
  psi: number;
  pValue: number | null;
  drifted: boolean;
  reason: string;
}

export interface SloLine {
  requests: number;
  errorRate: number | null;
  p99Ms: number | null;
  breaches: string[];
}

export type SloResult = SloLine | { unavailable: string };

/** What prediction drift was judged against: the champion's stored test-set scores (counts in the verdict), or its first period's own (shown only). */
export type PredictionReferenceKind = 'test-set' | 'first-period';

export interface PredictionLine extends FeatureLine {
  against: PredictionReferenceKind;
  /** Reference size: test rows, or the first period's predictions. */
  referenceCount: number;
}

export type CheckPeriodResult =
  | { status: 'no_champion'; afterSeq: number }
  | {
      status: 'checked';
      champion: string;
      snapshotId: string;
      afterSeq: number;
      samples: number;
      drift: { verdict: DriftVerdict; drifted: string[]; features: FeatureLine[] };
      /** Null while there is nothing to judge against yet: no stored reference and no first-period baseline. */
      predictionDrift: PredictionLine | null;
      predictionBaseline?: NumericStats;
      /** Why the stored score reference could not be used (an invalid file); the first-period baseline stands in. */
      predictionReferenceError?: string;
      slo: SloResult;
      kpi: KpiVerdict;
    };

export interface CheckPeriodDeps {
  dataDir: string;
  /** Holds each champion's test-set score reference. */
  artifactStore: ArtifactStore;
  registry: Registry;
  gateway: MonitorGateway;
  metricsSource: MetricsSource;
}

const line = (f: { feature: string; psi: number; ks?: { pValue: number }; chi2?: { pValue: number }; drifted: boolean; reason: string }): FeatureLine => ({
  feature: f.feature, psi: f.psi, pValue: f.ks?.pValue ?? f.chi2?.pValue ?? null, drifted: f.drifted, reason: f.reason,
});

/** Current columns for the reference features the gateway keeps (PII features are never logged, so never judged). */
function currentColumns(reference: ReferenceStats, page: PredictionsPage): { reference: ReferenceStats; current: CurrentColumns } {
  const features: ReferenceStats['features'] = {};
  const current: CurrentColumns = {};
  for (const [name, ref] of Object.entries(reference.features)) {
    if (!page.entries.some((e) => name in e.inputs)) continue;
    features[name] = ref;
    current[name] = ref.kind === 'numeric' ? page.entries.map((e) => Number(e.inputs[name])) : page.entries.map((e) => String(e.inputs[name]));
  }
  return { reference: { rows: reference.rows, features }, current };
}

type StoredScores = { reference: NumericReference } | { reference: null; error?: string };

interface PredictionJudgement {
  line: PredictionLine | null;
  /** The test-set judgement, which counts in the drift verdict. */
  counted: FeatureDrift | null;
  /** A first-period baseline taken now (no stored reference). */
  baseline?: NumericStats;
  error?: string;
}

/** Prediction drift of one period: against the stored test-set scores, else the carried first-period baseline, else (enough scores) take one. */
function judgePrediction(o: { stored: StoredScores; baseline: NumericStats | undefined; scores: number[]; policy: DriftPolicy }): PredictionJudgement {
  if (o.stored.reference) {
    const f = predictionDrift(o.stored.reference, o.scores, o.policy);
    return { line: { ...line(f), against: 'test-set', referenceCount: o.stored.reference.count }, counted: f };
  }
  const { error } = o.stored;
  if (!o.baseline) return { line: null, counted: null, error, baseline: o.scores.length >= o.policy.minSamples ? numericStats(o.scores) : undefined };
  const f = predictionDrift(o.baseline, o.scores, o.policy);
  return { line: { ...line(f), against: 'first-period', referenceCount: o.baseline.count }, counted: null, error };
}

export function createCheckMonitorPeriod(deps: CheckPeriodDeps) {
  const references = new Map<string, ReferenceStats>();
  async function referenceOf(snapshotId: string): Promise<ReferenceStats> {
    const cached = references.get(snapshotId);
    if (cached) return cached;
    const file = path.join(deps.dataDir, 'snapshots', snapshotId, 'reference-stats.json');
    const parsed = ReferenceStatsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    references.set(snapshotId, parsed);
    return parsed;
  }
  // A found reference never changes (written once per artifact); a missing one is looked for again each period.
  const scoreReferences = new Map<string, NumericReference>();
  async function scoreReferenceOf(artifactId: string): Promise<StoredScores> {
    const cached = scoreReferences.get(artifactId);
    if (cached) return { reference: cached };
    const read = await readScoreReference(deps.artifactStore, artifactId);
    if (read.status === 'found') scoreReferences.set(artifactId, read.reference.scores);
    return read.status === 'found' ? { reference: read.reference.scores } : { reference: null, ...(read.status === 'invalid' ? { error: read.reason } : {}) };
  }
  async function slo(spec: ModelSpec, champion: string): Promise<SloResult> {
    const w = await deps.metricsSource.window(spec.id, { windowMs: durationMs(monitorSettings(spec.monitor).period) });
    if (w.status !== 'ok') return { unavailable: w.reason };
    const v = w.summary.versions.find((x) => x.version === champion);
    if (!v || v.requests === 0) return { requests: 0, errorRate: null, p99Ms: null, breaches: [] };
    const errorRate = v.errors / v.requests;
    const breaches = [
      ...(v.latencyMs.p99 > spec.slo.maxP99LatencyMs ? [`p99 ${v.latencyMs.p99.toFixed(1)} ms > ${spec.slo.maxP99LatencyMs} ms`] : []),
      ...(errorRate > spec.slo.maxErrorRate ? [`error rate ${errorRate.toFixed(4)} > ${spec.slo.maxErrorRate}`] : []),
    ];
    return { requests: v.requests, errorRate, p99Ms: v.latencyMs.p99, breaches };
  }
  return async function checkMonitorPeriod(input: CheckPeriodInput): Promise<CheckPeriodResult> {
    const { spec } = input;
    const settings = monitorSettings(spec.monitor);
    const { champion } = await deps.registry.getAliases(spec.id);
    if (!champion) return { status: 'no_champion', afterSeq: input.afterSeq };
    const version = (await deps.registry.listVersions(spec.id)).find((v) => v.artifactId === champion);
    if (!version) throw new Error(`champion ${champion} of ${spec.id} is not a registered version`);
    // Idempotent; pushed every period so a restarted gateway or a changed spec catches up.
    await deps.gateway.setMonitoringConfig(spec.id, monitoringConfig(spec));
    const page = await deps.gateway.readPredictions(spec.id, { afterSeq: input.afterSeq, limit: settings.maxRowsPerPeriod, version: champion });
    const { reference, current } = currentColumns(await referenceOf(version.snapshotId), page);
    // No traffic is no evidence: inconclusive, without running tests on empty samples.
    const report = page.entries.length === 0 ? { features: [] } : featureDrift({ reference, current, policy: settings.drift });
    const prediction = judgePrediction({ stored: await scoreReferenceOf(champion), baseline: input.predictionBaseline, scores: page.entries.map((e) => e.score), policy: settings.drift });
    // Judged against the test set, prediction drift is one more column of the verdict: it debounces, alerts and retrains like a feature.
    const judged = judgeDrift({ features: prediction.counted ? [...report.features, prediction.counted] : report.features }, settings.drift);
    const tally = (await deps.gateway.tallies(spec.id)).find((t) => t.version === champion) ?? { version: champion, labelled: 0, correct: 0, kpiCount: 0, kpiSum: 0 };
    return {
      status: 'checked', champion, snapshotId: version.snapshotId, afterSeq: page.nextSeq, samples: page.entries.length,
      drift: { verdict: judged.verdict, drifted: judged.drifted, features: report.features.map(line) },
      predictionDrift: prediction.line, ...(prediction.baseline ? { predictionBaseline: prediction.baseline } : {}),
      ...(prediction.error ? { predictionReferenceError: prediction.error } : {}),
      slo: await slo(spec, champion),
      kpi: kpiVerdict(tally, settings),
    };
  };
}
