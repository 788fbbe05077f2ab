/**
 * What the prediction log's storage costs a caller: the same gateway (stable routing, one row per
 * request) with the log in SQLite (worker-thread writer, the embedded default) and in PostgreSQL
 * (batched appends every 250 ms, as replicas run it), beside a bare node:http server with the same
 * model, in interleaved rounds of the same run. Afterwards every answered row must be in
 * PostgreSQL: `postgres.rowsStored` against `rowsAnswered` (fewer stored would be lost rows).
 *
 *   node --import tsx bench/gateway/prediction-log.ts    (about 2 minutes; writes bench/results/gateway-prediction-log.json)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createGatewayAdmin } from '../../src/adapters/gateway/gateway-admin';
import { startPostgres } from '../../src/postgres/local-postgres';
import { cannonPredict, startChild, type CannonResult } from '../shared/http-bench';
import { machine, writeBenchResult } from '../shared/results';
import { BENCH_MODEL, BENCH_ROWS } from './bench-model';

const SATURATE_S = 4;
const FIXED_S = 4;
const FIXED_RPS = 1000;
const ROUNDS = 2;
/** Lets the saturation run's queued rows be written before the fixed-rate run measures. */
const SETTLE_MS = 3000;

type Target = { name: string; url: string; answered: number; runs: Array<Record<string, number>> };

const cannon = (url: string, extra: Record<string, unknown>) => cannonPredict(url, BENCH_MODEL, [BENCH_ROWS[3]], extra);
const ok = (r: CannonResult) => r.requests.total - r.non2xx - r.errors;

async function measure(t: Target): Promise<void> {
  const max = await cannon(t.url, { connections: 16, duration: SATURATE_S });
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const fixed = await cannon(t.url, { connections: 16, duration: FIXED_S, overallRate: FIXED_RPS });
  t.answered += ok(max) + ok(fixed);
  t.runs.push({ maxThroughputRps: max.requests.average, saturatedP99Ms: max.latency.p99, [`at${FIXED_RPS}rpsP50Ms`]: fixed.latency.p50, [`at${FIXED_RPS}rpsP99Ms`]: fixed.latency.p99, errors: max.errors + max.non2xx + fixed.errors + fixed.non2xx });
}

const mean = (runs: Array<Record<string, number>>) =>
  Object.fromEntries(Object.keys(runs[0]).map((k) => [k, Math.round((runs.reduce((s, r) => s + r[k], 0) / runs.length) * 10) / 10]));

/** Rows in the table once the gateway wrote its buffer (reading the log through the admin API writes it first). */
async function rowsIn(url: string, gw: { adminUrl: string }, token: string): Promise<number> {
  const res = await fetch(`${gw.adminUrl}/admin/models/${BENCH_MODEL}/predictions?limit=1`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`reading the prediction log failed: HTTP ${res.status}`);
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM predictions')).rows[0].n;
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const postgres = await startPostgres();
  const token = randomBytes(16).toString('hex');
  const dirs = [await mkdtemp(join(tmpdir(), 'mlgate-bench-log-')), await mkdtemp(join(tmpdir(), 'mlgate-bench-log-'))];
  const sqlite = await startChild(join(__dirname, 'serve.ts'), { token, stateDir: dirs[0] });
  const pg = await startChild(join(__dirname, 'serve.ts'), { token, stateDir: dirs[1], databaseUrl: postgres.url });
  const raw = await startChild(join(__dirname, 'serve-raw.ts'));
  const loadBefore = loadavg()[0];
  const targets: Target[] = [
    { name: 'raw node:http (reference)', url: raw.url, answered: 0, runs: [] },
    { name: 'gateway, prediction log in SQLite', url: sqlite.url, answered: 0, runs: [] },
    { name: 'gateway, prediction log in PostgreSQL', url: pg.url, answered: 0, runs: [] },
  ];
  let rowsStored: number;
  try {
    for (const gw of [sqlite, pg]) {
      await createGatewayAdmin({ adminUrl: gw.adminUrl, token }).setRouting(BENCH_MODEL, { stable: { version: 'bench-stable' } });
      await cannon(gw.url, { connections: 8, duration: 1 });
    }
    await cannon(raw.url, { connections: 8, duration: 1 });
    const warmed = await rowsIn(postgres.url, pg, token);
    for (let round = 0; round < ROUNDS; round++) for (const t of targets) await measure(t);
    rowsStored = (await rowsIn(postgres.url, pg, token)) - warmed;
  } finally {
    for (const c of [sqlite, pg, raw]) c.stop();
    await new Promise((r) => setTimeout(r, 1000));
    await postgres.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
  const rows = targets.map((t) => ({ scenario: t.name, ...mean(t.runs) }));
  const result = {
    benchmark: 'gateway-prediction-log',
    at: new Date().toISOString(),
    machine: machine(loadBefore),
    gateway: rows,
    postgres: {
      rowsAnswered: targets[2].answered, rowsStored, storedMinusAnswered: rowsStored - targets[2].answered,
      note: `answered = 2xx counted by autocannon. Autocannon cuts up to 16 in-flight requests at the end of each of its ${ROUNDS * 2} runs: the gateway may answer and log those without autocannon counting them, so stored may exceed answered by up to ${16 * ROUNDS * 2}. Fewer stored than answered would be lost rows.`,
    },
    notes: `Gateways (fastify) and the bare server in child processes; autocannon in this process (loopback), one row per request, 16 connections; mean of ${ROUNDS} interleaved rounds; autocannon latencies have 1 ms resolution. PostgreSQL is a local throwaway server (fsync off) on the same machine.`,
  };
  await writeBenchResult('gateway-prediction-log', result);
  console.table(rows);
  console.log('PostgreSQL log:', result.postgres);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
