/**
 * The built-in trainer's pure core: rows in, ModelBundle out. Preprocessing is fitted on the
 * training rows only, so nothing about the test set leaks into the model.
 */
import type { ModelBundle, Row } from '../model/bundle';
import { designMatrix, fitTransforms, targets } from './preprocessing';
import { fitLinearModel, resolveParams, type FitResult, type LinearAlgorithm } from './gradient-descent';

export interface TrainBundleInput {
  rows: Row[];
  features: string[];
  categorical: string[];
  label: string;
  task: 'binary-classification' | 'regression';
  positiveLabel: string;
  algorithm: LinearAlgorithm;
  params: Record<string, unknown>;
}

export function trainBundle(input: TrainBundleInput): { bundle: ModelBundle; losses: FitResult['losses'] } {
  if (input.task === 'regression' && input.algorithm !== 'linear-regression') throw new Error(`algorithm "${input.algorithm}" cannot fit a regression task; use linear-regression`);
  if (input.task === 'binary-classification' && input.algorithm !== 'logistic-regression') throw new Error(`algorithm "${input.algorithm}" cannot fit a classification task; use logistic-regression`);
  const transforms = fitTransforms(input.rows, input.features, input.categorical);
  const fit = fitLinearModel({
    algorithm: input.algorithm,
    x: designMatrix(transforms, input.rows),
    y: targets(input.rows, input.label, input.task, input.positiveLabel),
    params: resolveParams(input.params),
  });
  const negative = input.task === 'binary-classification' ? negativeLabel(input.rows, input.label, input.positiveLabel) : undefined;
  const bundle: ModelBundle = {
    format: 'mlgate-linear/v1',
    task: input.task,
    algorithm: input.algorithm,
    features: transforms,
    weights: fit.weights,
    bias: fit.bias,
    ...(negative !== undefined ? { labels: { positive: input.positiveLabel, negative } } : {}),
    threshold: 0.5,
  };
  return { bundle, losses: fit.losses };
}

/** The first non-positive label seen in sorted order, or "0". */
function negativeLabel(rows: Row[], label: string, positive: string): string {
  const others = [...new Set(rows.map((r) => String(r[label])).filter((v) => v !== positive))].sort();
  return others[0] ?? '0';
}

/** Training-path scores (the parity check's reference): design matrix times weights. */
export function trainingPathScores(bundle: ModelBundle, rows: Row[]): number[] {
  return designMatrix(bundle.features, rows).map((x) => {
    let z = bundle.bias;
    for (let j = 0; j < x.length; j++) z += bundle.weights[j] * x[j];
    return bundle.task === 'regression' ? z : 1 / (1 + Math.exp(-z));
  });
}
