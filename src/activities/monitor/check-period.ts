/**
 * `checkMonitorPeriod`: one period of watching the production model. Reads the champion from the
 * registry (so a promotion or a CLI rollback re-points it by itself), the new rows of the prediction
 * log, and the champion snapshot's reference statistics; returns feature and prediction drift, the
 * latency/error SLO and the online KPI verdict. Small result: it lands in the workflow history.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { numericStats, type NumericStats } from '../../domain/data/reference-stats';
import { featureDrift, judgeDrift, ReferenceStatsSchema, type CurrentColumns, type DriftVerdict, type ReferenceStats } from '../../domain/drift';
import { kpiVerdict, type KpiVerdict } from '../../domain/monitor/kpi-verdict';
import { monitorSettings } from '../../domain/monitor/monitor-spec';
import { monitoringConfig } from '../../domain/monitor/review-rules';
import type { ModelSpec } from '../../domain/spec';
import { durationMs } from '../../domain/duration';
import type { MetricsSource } from '../../ports/metrics-source';
import type { Registry } from '../../ports/registry';
import type { MonitorGateway, PredictionsPage } from '../../ports/monitor-gateway';

export interface CheckPeriodInput {
  spec: ModelSpec;
  /** Last prediction-log seq already judged. */
  afterSeq: number;
  /** Score distribution of the champion's first conclusive period (prediction drift reference). */
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

export type CheckPeriodResult =
  | { status: 'no_champion'; afterSeq: number }
  | {
      status: 'checked';
      champion: string;
      snapshotId: string;
      afterSeq: number;
      samples: number;
      drift: { verdict: DriftVerdict; drifted: string[]; features: FeatureLine[] };
      predictionDrift: FeatureLine | null;
      predictionBaseline?: NumericStats;
      slo: SloResult;
      kpi: KpiVerdict;
    };

export interface CheckPeriodDeps {
  dataDir: string;
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
    const judged = judgeDrift(report, settings.drift);
    const scores = page.entries.map((e) => e.score);
    let predictionDrift: FeatureLine | null = null;
    let predictionBaseline: NumericStats | undefined;
    if (input.predictionBaseline) {
      const r = featureDrift({ reference: { rows: input.predictionBaseline.count, features: { prediction: input.predictionBaseline } }, current: { prediction: scores }, policy: settings.drift });
      predictionDrift = line(r.features[0]);
    } else if (scores.length >= settings.drift.minSamples) {
      predictionBaseline = numericStats(scores);
    }
    const tally = (await deps.gateway.tallies(spec.id)).find((t) => t.version === champion) ?? { version: champion, labelled: 0, correct: 0, kpiCount: 0, kpiSum: 0 };
    return {
      status: 'checked', champion, snapshotId: version.snapshotId, afterSeq: page.nextSeq, samples: page.entries.length,
      drift: { verdict: judged.verdict, drifted: judged.drifted, features: report.features.map(line) },
      predictionDrift, ...(predictionBaseline ? { predictionBaseline } : {}),
      slo: await slo(spec, champion),
      kpi: kpiVerdict(tally, settings),
    };
  };
}
