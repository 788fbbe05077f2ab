/** Built-in trainer: the pure gradient-descent core from src/domain/train, with a text log. */
import { trainBundle } from '../../domain/train/train-bundle';
import type { TrainerPort } from '../../ports/trainer';

export function createBuiltinTrainer(): TrainerPort {
  return {
    async train({ spec, train, heartbeat }) {
      if (spec.trainer.kind !== 'builtin') throw new Error('createBuiltinTrainer got a non-builtin trainer spec');
      heartbeat({ phase: 'fitting', rows: train.length });
      const { bundle, losses } = trainBundle({
        rows: train, features: spec.data.features, categorical: spec.data.categorical, label: spec.data.label,
        task: spec.task, positiveLabel: spec.data.positiveLabel, algorithm: spec.trainer.algorithm, params: spec.trainer.params,
      });
      const log = [
        `builtin ${spec.trainer.algorithm}: ${train.length} rows, params ${JSON.stringify(spec.trainer.params)}, seed ${spec.trainer.seed}`,
        ...losses.map((l) => `epoch ${l.epoch} loss ${l.loss.toFixed(6)}`),
      ].join('\n');
      return { bundle, log: `${log}\n` };
    },
  };
}
