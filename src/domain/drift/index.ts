/** Drift statistics: PSI on fixed reference bins, two-sample KS, chi-squared; pure and sandbox-safe. */
export { chiSquaredHomogeneity, type ChiSquaredResult } from './chi-squared-test';
export { featureDrift, type FeatureDriftOptions } from './feature-drift';
export { chiSquaredSf, gammainc, gammaincc, lgamma } from '../stats/gamma';
export { judgeDrift, judgeFeature, parseDriftPolicy } from './judge-drift';
export { ksAgainstSortedSample } from './ks-against-sample';
export { kolmogorovSf, ksPValue, ksTwoSample, type KsResult } from './kolmogorov-smirnov';
export { PREDICTION_FEATURE, predictionDrift, SCORE_REFERENCE_FILE, SCORE_REFERENCE_SAMPLE, scoreReference, ScoreReferenceSchema, type ScoreReference } from './score-reference';
export { OTHER_CATEGORY, PSI_EPSILON, psiAgainstReference, psiCategorical, type PsiResult } from './psi';
export * from './schema';
