/**
 * Per-feature drift of current columns against a snapshot's reference statistics: PSI on the fixed
 * reference bins plus KS (numeric) or chi-squared (categorical). Pure and deterministic.
 */
import { chiSquaredHomogeneity } from './chi-squared-test';
import { judgeFeature, parseDriftPolicy } from './judge-drift';
import { ksAgainstSortedSample } from './ks-against-sample';
import { categoryCounts, psiAgainstReference, psiCategorical } from './psi';
import {
  type CategoricalReference,
  type Column,
  type CurrentColumns,
  type DriftPolicyInput,
  type DriftReport,
  type FeatureDrift,
  type NumericReference,
  type ReferenceStats,
} from './schema';

export interface FeatureDriftOptions {
  /** Reference statistics stored with the snapshot (`referenceStats()` output). */
  reference: ReferenceStats;
  /** Current values per feature; every reference feature needs a column, extra columns are ignored. */
  current: CurrentColumns;
  /** Thresholds used for each feature's `drifted` flag. @default { maxPsi: 0.2, alpha: 0.01, minSamples: 100 } */
  policy?: DriftPolicyInput;
}

type Stats = Omit<FeatureDrift, 'drifted' | 'reason'>;

/** Runs `fn`, prefixing a thrown error's message with the reference field at fault, so the caller knows what to rebuild. */
function blaming<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new Error(`${field}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function numericDrift(feature: string, reference: NumericReference, column: Column): Stats {
  if (column.length > 0 && typeof column[0] === 'string') {
    throw new Error(`current.${feature}: numeric feature got strings; pass numbers (a Float64Array or number[])`);
  }
  const values = column as Float64Array | number[];
  const at = `reference.features.${feature}`;
  const { psi, samples, missing } = blaming(`${at}.edges`, () => psiAgainstReference(reference, values));
  const { d, pValue } = blaming(`${at}.sample`, () => ksAgainstSortedSample(reference.sample, values));
  return { feature, kind: 'numeric', samples, missing, psi, ks: { d, pValue } };
}

function categoricalDrift(feature: string, reference: CategoricalReference, column: Column): Stats {
  const values = column instanceof Float64Array ? Array.from(column) : column;
  const { psi, samples } = psiCategorical(reference, values);
  const { counts } = categoryCounts(reference, values);
  // Reference shares were count/rows, so rounding recovers the reference counts exactly.
  const refCounts = [...Object.keys(reference.frequencies).sort().map((c) => Math.round(reference.frequencies[c] * reference.count)), 0];
  return { feature, kind: 'categorical', samples, missing: 0, psi, chi2: chiSquaredHomogeneity(refCounts, counts) };
}

/** Drift statistics and a per-feature judgement for every reference feature, in reference order. Throws naming the field when a column is missing or of the wrong kind. */
export function featureDrift(options: FeatureDriftOptions): DriftReport {
  const policy = parseDriftPolicy(options.policy);
  const features = Object.entries(options.reference.features).map(([feature, reference]): FeatureDrift => {
    const column = options.current[feature];
    if (column === undefined) throw new Error(`current.${feature}: column missing; pass a column for every reference feature`);
    if (reference.count === 0) throw new Error(`reference.features.${feature}: reference has no rows; rebuild the snapshot's reference statistics`);
    const stats = reference.kind === 'numeric' ? numericDrift(feature, reference, column) : categoricalDrift(feature, reference, column);
    return { ...stats, ...judgeFeature(stats, policy) };
  });
  return { features };
}
