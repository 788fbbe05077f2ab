/**
 * Approval round-trip benchmark: how long from an approver's decision to the release having moved
 * on, for a decision sent over the HTTP API (approvals server -> Update), as the Update itself
 * (what `mlgate approve` sends), and, as the baseline, as a Signal whose sender polls the status
 * query (the way a signal-only orchestrator works). Real releases on a real Temporal dev server.
 *
 *   node --import tsx bench/approval/run.ts [--releases 50] [--poll-ms 50]
 *
 * Releases are prepared in batches (trained up to the deploy gate), then decided one at a time,
 * methods interleaved, so no sample competes with training or another sample. The first round
 * is a warm-up and not counted. Writes bench/results/approval.json and prints a table.
 */
import { Command } from 'commander';
import { loadavg } from 'node:os';
import { z } from 'zod';
import { Method, measureRoundTrip, releaseAtGate, type RoundTripContext, type Sample } from './round-trip';
import { openBenchStack } from './stack';
import { machine, writeBenchResult } from '../shared/results';

const APPROVER = 'alice@example.com';
const METHODS: Method[] = [Method.httpApi, Method.update, Method.signalPoll];
const BATCH_ROUNDS = 4; // rounds prepared at once: 12 releases training concurrently on 2 cores

const ArgsSchema = z.object({
  releases: z.coerce.number().int().min(5, '--releases: at least 5 per method').max(500, '--releases: at most 500 per method'),
  pollMs: z.coerce.number().int().min(1, '--poll-ms: at least 1').max(5_000, '--poll-ms: at most 5000'),
});

type RoundSample = Sample & { round: number };
type Stats = { n: number; median: number; p99: number; mean: number; min: number; max: number };

/** Nearest-rank percentiles: with 50 samples p99 is the largest one. */
function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const rank = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, median: r(rank(0.5)), p99: r(rank(0.99)), mean: r(s.reduce((a, b) => a + b, 0) / s.length), min: r(s[0]), max: r(s[s.length - 1]) };
}

async function runRounds(ctx: RoundTripContext, rounds: number, onRound: (round: number) => void): Promise<RoundSample[]> {
  const samples: RoundSample[] = [];
  for (let first = 0; first < rounds; first += BATCH_ROUNDS) {
    const batch = Array.from({ length: Math.min(BATCH_ROUNDS, rounds - first) }, (_, i) => first + i);
    const handles = await Promise.all(batch.map((round) => Promise.all(METHODS.map((m) => releaseAtGate(ctx, `bench-${m.replace('+', '-')}-${round}`)))));
    for (const [i, round] of batch.entries()) {
      // Rotate the order so no method always goes first after a batch was prepared.
      for (let k = 0; k < METHODS.length; k++) {
        const j = (k + round) % METHODS.length;
        samples.push({ ...(await measureRoundTrip(ctx, handles[i][j], METHODS[j])), round });
      }
      onRound(round);
    }
  }
  return samples;
}

function table(rows: Array<{ method: string; ack: Stats; recorded: Stats; movedOn: Stats }>): string {
  const cell = (x: number) => x.toFixed(1).padStart(9);
  const head = `${'method'.padEnd(14)}${'ack p50'.padStart(9)}${'ack p99'.padStart(9)}${'rec p50'.padStart(9)}${'rec p99'.padStart(9)}${'next p50'.padStart(9)}${'next p99'.padStart(9)}`;
  return [head, ...rows.map((r) => `${r.method.padEnd(14)}${cell(r.ack.median)}${cell(r.ack.p99)}${cell(r.recorded.median)}${cell(r.recorded.p99)}${cell(r.movedOn.median)}${cell(r.movedOn.p99)}`)].join('\n');
}

async function main(): Promise<void> {
  const opts = new Command().option('--releases <n>', 'measured releases per method', '50').option('--poll-ms <ms>', 'status poll interval of the signal baseline', '50').parse().opts();
  const parsed = ArgsSchema.safeParse(opts);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  const { releases, pollMs } = parsed.data;
  const loadBefore = loadavg()[0];
  const stack = await openBenchStack();
  try {
    const ctx: RoundTripContext = {
      client: stack.client, taskQueue: stack.taskQueue, dataDir: stack.dataDir, approvalsUrl: stack.approvalsUrl,
      apiToken: await stack.opened.approvalsStore.apiTokens.create(APPROVER), approver: APPROVER, pollMs,
    };
    const started = Date.now();
    const all = await runRounds(ctx, releases + 1, (r) => process.stdout.write(`\rround ${r + 1}/${releases + 1}`));
    process.stdout.write('\n');
    const measured = all.filter((s) => s.round > 0); // round 0 warms up connections and the JIT
    const rows = METHODS.map((method) => {
      const xs = measured.filter((s) => s.method === method);
      return { method, ack: stats(xs.map((s) => s.ackMs)), recorded: stats(xs.map((s) => s.recordedMs)), movedOn: stats(xs.map((s) => s.movedOnMs)) };
    });
    const result = {
      benchmark: 'approval-round-trip',
      at: new Date().toISOString(),
      machine: machine(loadBefore),
      config: { releasesPerMethod: releases, warmupRounds: 1, signalPollMs: pollMs, wallSeconds: Math.round((Date.now() - started) / 1000) },
      methods: rows,
      samples: measured.map((s) => ({ method: s.method, round: s.round, ackMs: +s.ackMs.toFixed(2), recordedMs: +s.recordedMs.toFixed(2), movedOnMs: +s.movedOnMs.toFixed(2) })),
      notes:
        'Milliseconds from the caller sending the decision. ack: the caller knows the decision took effect (HTTP 200 / Update result; for the signal baseline, the first status poll showing the gate approved). ' +
        'recorded: the decision event in history (UpdateAccepted / WorkflowExecutionSignaled). next: the workflow scheduled its next step (the deploy-lock activity), from history event times. ' +
        'Same machine clock for caller and server. Nearest-rank p99: with 50 samples it is the largest. One decision at a time, methods interleaved, after releases were trained to their deploy gate.',
    };
    await writeBenchResult('approval', result);
    console.log(`approval round trip, ${releases} releases per method (ms from send; signal polled every ${pollMs} ms)`);
    console.log(table(rows));
  } finally {
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
