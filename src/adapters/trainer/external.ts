/**
 * External trainer: runs `spec.trainer.command` in the spec's folder with
 * MLGATE_TRAIN_INPUT (train.jsonl, test.jsonl, params.json) and MLGATE_TRAIN_OUTPUT (where it
 * writes bundle.json, and for onnx/v1 also model.onnx and test-predictions.jsonl). Contract:
 * docs/external-trainer.md. Output is streamed to train.log; cancellation and the spec's timeout
 * stop the whole process group (SIGTERM, then SIGKILL). A bad output is a non-retryable
 * TrainerFailed that names the problem (onnx-output.ts checks the ONNX ones).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { ErrorType, formatIssues } from '../../domain/errors';
import { durationMs } from '../../domain/duration';
import { ArtifactBundleSchema, type ArtifactBundle } from '../../domain/model/artifact-bundle';
import type { Row } from '../../domain/model/bundle';
import type { ModelSpec } from '../../domain/spec';
import type { TrainerPort, TrainRequest, TrainResult } from '../../ports/trainer';
import { readOnnxOutput } from './onnx-output';
import { runLogged } from './run-logged';

export interface ExternalTrainerOptions {
  /** Environment of the trainer process, besides the MLGATE_TRAIN_* variables. Secrets are not passed unless listed here. @default { PATH: "/usr/local/bin:/usr/bin:/bin" } */
  env?: Record<string, string | undefined>;
  /** How often to heartbeat while the trainer runs. @default 1000 */
  heartbeatMs?: number;
  /** Time between SIGTERM and SIGKILL. @default 2000 */
  killGraceMs?: number;
  /** Largest model.onnx accepted. @default 512 MiB */
  maxModelBytes?: number;
}

const toJsonl = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');

async function writeInput(dir: string, spec: ModelSpec, train: Row[], test: Row[]): Promise<void> {
  if (spec.trainer.kind !== 'external') throw new Error('external trainer got a non-external trainer spec');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'train.jsonl'), toJsonl(train));
  await writeFile(path.join(dir, 'test.jsonl'), toJsonl(test));
  const params = {
    params: spec.trainer.params, seed: spec.trainer.seed, features: spec.data.features, categorical: spec.data.categorical,
    label: spec.data.label, task: spec.task, positiveLabel: spec.data.positiveLabel,
  };
  await writeFile(path.join(dir, 'params.json'), JSON.stringify(params, null, 2));
}

const invalidOutput = (message: string) => ApplicationFailure.create({ type: ErrorType.TrainerFailed, nonRetryable: true, message });

async function readBundle(outputDir: string): Promise<ArtifactBundle> {
  const file = path.join(outputDir, 'bundle.json');
  if (!existsSync(file)) throw invalidOutput(`trainer exited 0 but wrote no bundle.json in MLGATE_TRAIN_OUTPUT (${outputDir})`);
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw invalidOutput(`trainer's bundle.json is not valid JSON: ${(err as Error).message}`);
  }
  const r = ArtifactBundleSchema.safeParse(doc);
  if (!r.success) throw invalidOutput(`trainer's bundle.json does not match the mlgate-linear/v1 or onnx/v1 format: ${formatIssues(r.error.issues, 'bundle').join('; ')}`);
  return r.data;
}

async function readOutput(outputDir: string, testRows: number, maxModelBytes: number): Promise<Omit<TrainResult, 'log'>> {
  const bundle = await readBundle(outputDir);
  if (bundle.format !== 'onnx/v1') return { bundle };
  return { bundle, ...(await readOnnxOutput({ outputDir, manifest: bundle, testRows, maxModelBytes })) };
}

export function createExternalTrainer(options: ExternalTrainerOptions = {}): TrainerPort {
  return {
    async train(req: TrainRequest) {
      const { spec } = req;
      if (spec.trainer.kind !== 'external') throw new Error('createExternalTrainer got a non-external trainer spec');
      const inputDir = path.join(req.workDir, 'input');
      const outputDir = path.join(req.workDir, 'output');
      await writeInput(inputDir, spec, req.train, req.test);
      await mkdir(outputDir, { recursive: true });
      const logFile = path.join(req.workDir, 'train.log');
      await runLogged({
        command: spec.trainer.command, cwd: req.specDir, logFile,
        env: { ...(options.env ?? { PATH: '/usr/local/bin:/usr/bin:/bin' }), MLGATE_TRAIN_INPUT: inputDir, MLGATE_TRAIN_OUTPUT: outputDir },
        timeoutMs: durationMs(spec.trainer.timeout), heartbeat: req.heartbeat, heartbeatMs: options.heartbeatMs ?? 1000,
        killGraceMs: options.killGraceMs ?? 2000, signal: req.signal,
      });
      const output = await readOutput(outputDir, req.test.length, options.maxModelBytes ?? 512 * 2 ** 20);
      return { ...output, log: await readFile(logFile, 'utf8') };
    },
  };
}

