/**
 * ONNX serving benchmark, all in one run:
 *   - in-process: per-row latency and predictions/s of the 100-tree gradient-boosted model (the
 *     shipped scikit-learn example, through onnxruntime-node) at batch 1 and batch 64, next to the
 *     built-in linear model;
 *   - over HTTP: the gateway serving that ONNX model against a bare node:http server serving the
 *     same model, max throughput and p50/p99 (autocannon, server in a child process).
 * Goal: the gateway adds under 1 ms at p50 over in-process inference.
 *
 *   node --import tsx bench/onnx/run.ts     (about a minute; writes bench/results/onnx.json)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinearRuntime } from '../../src/adapters/model-runtime/linear';
import { createOnnxRuntime } from '../../src/adapters/model-runtime/onnx';
import { createGatewayAdmin } from '../../src/adapters/gateway/gateway-admin';
import type { Row } from '../../src/domain/model/bundle';
import type { ModelRuntime } from '../../src/ports/model-runtime';
import { BENCH_BUNDLES } from '../gateway/bench-model';
import { cannonPredict, startChild } from '../shared/http-bench';
import { trainSklearnExample } from './train-model';
import { writeBenchResult } from '../shared/results';

const MODEL = 'onnx-bench';
const SATURATE_S = 4;
const FIXED_RPS = 500;

async function perRow(runtime: ModelRuntime, rows: Row[], batch: number, calls: number) {
  const times: number[] = [];
  for (let i = 0; i < calls + 50; i++) {
    const slice = Array.from({ length: batch }, (_, k) => rows[(i * batch + k) % rows.length]);
    const t0 = performance.now();
    await runtime.predict(slice);
    if (i >= 50) times.push(performance.now() - t0); // the first 50 calls warm up
  }
  times.sort((a, b) => a - b);
  const p50Call = times[Math.floor(times.length / 2)];
  const total = times.reduce((a, b) => a + b, 0);
  return { batch, callP50Us: +(p50Call * 1000).toFixed(1), perRowUs: +((p50Call * 1000) / batch).toFixed(2), predictionsPerSecond: Math.round((calls * batch) / (total / 1000)) };
}

async function http(name: string, url: string, rows: Row[]) {
  const body = [rows[3]];
  await cannonPredict(url, MODEL, body, { connections: 4, duration: 1 });
  const max = await cannonPredict(url, MODEL, body, { connections: 16, duration: SATURATE_S });
  const fixed = await cannonPredict(url, MODEL, body, { connections: 16, duration: SATURATE_S, overallRate: FIXED_RPS });
  return { server: name, maxThroughputRps: Math.round(max.requests.average), saturatedP99Ms: max.latency.p99, [`at${FIXED_RPS}rpsP50Ms`]: fixed.latency.p50, [`at${FIXED_RPS}rpsP99Ms`]: fixed.latency.p99, errors: max.errors + max.non2xx + fixed.errors + fixed.non2xx };
}

async function main(): Promise<void> {
  const trained = trainSklearnExample();
  const onnx = await createOnnxRuntime(trained.manifest, trained.bytes);
  const linear = createLinearRuntime(BENCH_BUNDLES['bench-stable']);
  const linearRows = trained.rows.map((r) => ({ income: Number(r.income) / 1000, debt: Number(r.debt_ratio) * 50 }));
  const inProcess = {
    onnxGradientBoosting100: [await perRow(onnx, trained.rows, 1, 2000), await perRow(onnx, trained.rows, 64, 300)],
    linear: [await perRow(linear, linearRows, 1, 2000), await perRow(linear, linearRows, 64, 300)],
  };
  await onnx.close();
  console.table([...inProcess.onnxGradientBoosting100.map((r) => ({ model: 'onnx GB 100 trees', ...r })), ...inProcess.linear.map((r) => ({ model: 'linear', ...r }))]);
  const stateDir = await mkdtemp(join(tmpdir(), 'mlgate-bench-onnx-gw-'));
  const token = randomBytes(16).toString('hex');
  const gw = await startChild(join(__dirname, 'serve.ts'), { token, stateDir, dir: trained.dir });
  const raw = await startChild(join(__dirname, 'serve-raw.ts'), { dir: trained.dir });
  const servers = [];
  try {
    await createGatewayAdmin({ adminUrl: gw.adminUrl, token }).setRouting(MODEL, { stable: { version: 'onnx-gb' } });
    servers.push(await http('gateway', gw.url, trained.rows), await http('raw node:http, same model', raw.url, trained.rows));
  } finally {
    gw.stop();
    raw.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
  console.table(servers);
  const batch1 = inProcess.onnxGradientBoosting100[0];
  const gatewayP50 = Number(servers[0][`at${FIXED_RPS}rpsP50Ms`]);
  const result = {
    benchmark: 'onnx serving',
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    model: { kind: 'scikit-learn GradientBoostingClassifier, 100 trees, ColumnTransformer (scaler + one-hot)', producer: trained.manifest.producer, bytes: trained.bytes.length },
    inProcess,
    http: servers,
    goal: { text: 'the gateway adds under 1 ms at p50 over in-process inference', inProcessCallP50Ms: batch1.callP50Us / 1000, gatewayP50Ms: gatewayP50, addedP50Ms: +(gatewayP50 - batch1.callP50Us / 1000).toFixed(3) },
    notes: `autocannon in this process, servers in child processes, loopback, one row per request, 16 connections; latencies have 1 ms resolution. onnxruntime-node with one intra-op thread. Fixed-rate runs at ${FIXED_RPS} rps.`,
  };
  await writeBenchResult('onnx', result);
  console.log(JSON.stringify(result.goal));
  await rm(join(trained.dir, '..'), { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
