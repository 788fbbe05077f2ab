/** The measured unit of work, shared by the main thread and the workers: PSI + KS for some features. */
import { ksAgainstSortedSample } from '../../src/domain/drift/ks-against-sample';
import { psiAgainstReference } from '../../src/domain/drift/psi';
import type { BenchFeature } from './data';

export interface FeatureResult {
  name: string;
  psi: number;
  d: number;
  pValue: number;
  psiMs: number;
  ksMs: number;
}

export function runFeatures(features: readonly BenchFeature[]): FeatureResult[] {
  return features.map((f) => {
    const values = new Float64Array(f.current);
    const t0 = performance.now();
    const { psi } = psiAgainstReference(f.reference, values);
    const t1 = performance.now();
    const { d, pValue } = ksAgainstSortedSample(f.reference.sample, values);
    const t2 = performance.now();
    return { name: f.name, psi, d, pValue, psiMs: t1 - t0, ksMs: t2 - t1 };
  });
}
