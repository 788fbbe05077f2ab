/**
 * The training-serving parity check for models trained outside mlgate: the trainer's own
 * framework's predictions on the test rows against what the serving runtime (onnxruntime) answers
 * for the same rows, row by row. Scores may differ by at most the tolerance (float32 inference);
 * labels must match exactly. Pure.
 */
import type { ParityReport } from '../metrics/evaluation';
import type { Prediction } from './bundle';

export interface TrainerPrediction {
  score: number;
  label: string;
}

const FIRST_DIFFS = 5;

export function compareWithTrainer(trainer: readonly TrainerPrediction[], served: readonly Prediction[], tolerance: number): ParityReport {
  if (trainer.length !== served.length) throw new Error(`parity: the trainer gave ${trainer.length} predictions for ${served.length} test rows`);
  let maxAbsDiff = 0;
  let mismatches = 0;
  let labelMismatches = 0;
  const firstDiffs: NonNullable<ParityReport['firstDiffs']> = [];
  trainer.forEach((t, row) => {
    const s = served[row];
    const diff = Math.abs(t.score - s.score);
    maxAbsDiff = Math.max(maxAbsDiff, diff);
    const labelDiffers = t.label !== s.label;
    if (labelDiffers) labelMismatches++;
    if (diff <= tolerance && !labelDiffers) return;
    mismatches++;
    if (firstDiffs.length < FIRST_DIFFS) firstDiffs.push({ row, trainer: { score: t.score, label: t.label }, served: { score: s.score, label: s.label } });
  });
  return { kind: 'trainer-vs-onnxruntime', rows: trainer.length, maxAbsDiff, tolerance, pass: mismatches === 0, mismatches, labelMismatches, firstDiffs };
}
