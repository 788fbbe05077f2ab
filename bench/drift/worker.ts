/** Worker thread for the drift benchmark: runs the pure drift functions on the features it is sent. */
import { parentPort } from 'node:worker_threads';
import type { BenchFeature } from './data';
import { runFeatures } from './drift-job';

parentPort!.on('message', (features: BenchFeature[]) => {
  parentPort!.postMessage(runFeatures(features));
});
