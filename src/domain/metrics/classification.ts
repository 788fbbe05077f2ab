/** Binary classification metrics from labels (0/1) and scores (probability of 1). Pure. */

/**
 * AUC as the Mann-Whitney rank statistic: the probability that a random positive scores above a
 * random negative, ties counting half. NaN when one class is absent (AUC is undefined then).
 */
export function auc(labels: number[], scores: number[]): number {
  const idx = scores.map((s, i) => i).sort((a, b) => scores[a] - scores[b]);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const avg = (i + j) / 2 + 1; // tied scores share their average rank
    for (let k = i; k <= j; k++) ranks[idx[k]] = avg;
    i = j + 1;
  }
  let pos = 0;
  let rankSum = 0;
  labels.forEach((y, i) => {
    if (y === 1) { pos++; rankSum += ranks[i]; }
  });
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface ClassificationMetrics {
  auc: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  log_loss: number;
  brier: number;
}

const EPS = 1e-15;

export function classificationMetrics(labels: number[], scores: number[], threshold = 0.5): ClassificationMetrics {
  let tp = 0, fp = 0, tn = 0, fn = 0, logLoss = 0, brier = 0;
  labels.forEach((y, i) => {
    const p = Math.min(1 - EPS, Math.max(EPS, scores[i]));
    const yhat = scores[i] >= threshold ? 1 : 0;
    if (yhat === 1 && y === 1) tp++;
    else if (yhat === 1) fp++;
    else if (y === 1) fn++;
    else tn++;
    logLoss -= y === 1 ? Math.log(p) : Math.log(1 - p);
    brier += (scores[i] - y) ** 2;
  });
  const n = labels.length;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { auc: auc(labels, scores), accuracy: (tp + tn) / n, precision, recall, f1, log_loss: logLoss / n, brier: brier / n };
}
