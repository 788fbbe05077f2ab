/**
 * Scale-out benchmark (#14), two parts in one run (detection first: it is the shorter, so a long
 * throughput part cannot cost its figures):
 *
 *  throughput: releases/min at --releases concurrent (bench/load/drive.ts's release shape) on the
 *    embedded stack (dev server, SQLite file, one worker), then on the scale-out topology
 *    (src/cluster/topology.ts: Temporal server and mlgate's state on PostgreSQL) with one worker
 *    and with two;
 *  detection: breach-to-rollback on real releases with the gateway's in-memory windows and with the
 *    Prometheus source (MLGATE_METRICS_SOURCE=prometheus) at each --scrapes interval, a fault on
 *    the 50% canary under --rps requests/s (bench/cluster/detection.ts).
 *
 *   node --import tsx bench/cluster/run.ts [--releases 200] [--runs 3] [--scrapes 1s,5s,15s]
 *        [--fault error|latency] [--rps 200] [--timeout-min 30] [--parts throughput,detection] [--out cluster]
 *   (quick: --releases 20 --runs 1 --scrapes 1s; writes bench/results/cluster.json after each part)
 *
 * Needs the cluster's parts (`bash scripts/bootstrap.sh --cluster`): PostgreSQL, Prometheus and the
 * Temporal server built into .cache/temporal-server.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { temporalServerDir } from '../../src/cluster/temporal-server';
import { machine, writeBenchResult } from '../shared/results';
import { measureSource, type SourceRuns } from './detection';
import { detectionFigures, throughputFigures } from './summary';
import { clusterThroughput, embeddedThroughput, type ClusterThroughput } from './throughput';
import type { LoadResult } from '../load/drive';

const PARTS = ['throughput', 'detection'] as const;
const FAULTS = { error: { errorRate: 0.5 }, latency: { latencyMs: 800 } } as const;

const ArgsSchema = z.object({
  releases: z.coerce.number().int().min(1).max(1000).default(200),
  runs: z.coerce.number().int().min(1).max(20).default(3),
  scrapes: z.string().regex(/^\d+(ms|s|m)(,\d+(ms|s|m))*$/, 'a comma-separated list of intervals such as 1s,5s,15s').default('1s,5s,15s'),
  fault: z.enum(['error', 'latency']).default('error'),
  rps: z.coerce.number().int().min(50).max(2000).default(200),
  'timeout-min': z.coerce.number().min(1).max(120).default(30),
  /** Results file name under bench/results: a run of one part should not replace a full run's file. */
  out: z.string().regex(/^[\w-]+$/, 'a file name without folder or extension, e.g. cluster-detection').default('cluster'),
  parts: z.string().default(PARTS.join(',')).pipe(z.string().transform((s) => s.split(',')).pipe(z.array(z.enum(PARTS)).min(1))),
});
type Args = z.output<typeof ArgsSchema>;

function parseCli(): Args {
  const { values } = parseArgs({ options: Object.fromEntries(Object.keys(ArgsSchema.shape).map((k) => [k, { type: 'string' as const }])) });
  const r = ArgsSchema.safeParse(values);
  if (!r.success) throw new Error(`bad arguments: ${r.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

interface Doc {
  throughput?: { embedded: LoadResult; cluster: ClusterThroughput };
  detection?: SourceRuns[];
  loadAvg: Array<{ at: string; part: string; loadAvg: number[] }>;
}

function throughputSection(t: NonNullable<Doc['throughput']>) {
  const { embedded, cluster } = t;
  return {
    ...throughputFigures({ embedded: embedded.releasesPerMinute, oneWorker: cluster.oneWorker.releasesPerMinute, twoWorkers: cluster.twoWorkers.releasesPerMinute }),
    clusterStartSeconds: cluster.clusterStartSeconds, embedded, clusterOneWorker: cluster.oneWorker, clusterTwoWorkers: cluster.twoWorkers,
  };
}

function resultDoc(args: Args, loadBefore: number, t0: number, doc: Doc) {
  const t = doc.throughput;
  return {
    benchmark: 'cluster',
    at: new Date().toISOString(),
    command: `node --import tsx bench/cluster/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
    args,
    machine: machine(loadBefore),
    loadAvg: doc.loadAvg,
    wallSeconds: (Date.now() - t0) / 1000,
    ...(t ? { throughput: throughputSection(t) } : {}),
    ...(doc.detection ? {
      detection: {
        workload: { rps: args.rps, canaryWeight: 50, fault: FAULTS[args.fault], minSamples: 30, watchPollMs: 250, window: 'since the step started (PromQL increase() over it)' },
        figures: detectionFigures(doc.detection),
        sources: doc.detection,
      },
    } : {}),
    notes: 'A 2-core host shared with other jobs: see loadAvg; the figures are noisy. Throughput: each run has its own model ids; in the two-worker cluster run cpuCores.worker and peakRssMb.worker are the driver process (two worker processes are not sampled). Detection: one fresh embedded stack per source, only the metrics source differs; detectionMs = fault -> the watch activity completes with fail (server event time), totalMs = fault -> the gateway routes the champion alone.',
  };
}

async function main(): Promise<void> {
  const args = parseCli();
  // Before the detection part's minutes, not after them: `npm run bench` does not build the cluster's server.
  if (args.parts.includes('throughput') && !existsSync(join(temporalServerDir(), 'server'))) {
    throw new Error(`no Temporal server in ${temporalServerDir()}: build it once with \`bash scripts/bootstrap.sh --cluster\`, or run --parts detection`);
  }
  const loadBefore = loadavg()[0];
  const t0 = Date.now();
  const doc: Doc = { loadAvg: [{ at: new Date().toISOString(), part: 'start', loadAvg: loadavg() }] };
  const mark = (part: string) => doc.loadAvg.push({ at: new Date().toISOString(), part, loadAvg: loadavg() });
  const save = () => writeBenchResult(args.out, resultDoc(args, loadBefore, t0, doc));
  if (args.parts.includes('detection')) {
    doc.detection = [];
    for (const scrape of [null, ...args.scrapes.split(',')]) {
      doc.detection.push(await measureSource(scrape, { runs: args.runs, rps: args.rps, fault: FAULTS[args.fault] }));
      mark(`after detection ${doc.detection.at(-1)!.source}`);
      await save();
    }
    console.table(detectionFigures(doc.detection).map((f) => ({
      source: f.source, timed: f.timed, untimed: f.untimed, detectionMedian: f.detectionMs.median, detectionMax: f.detectionMs.max,
      totalMedian: f.totalMs.median, added: f.addedOverInMemoryMs, inScrapes: f.addedInScrapeIntervals,
    })));
  }
  if (args.parts.includes('throughput')) {
    const o = { releases: args.releases, timeoutMs: args['timeout-min'] * 60_000 };
    const embedded = await embeddedThroughput(o);
    mark('after embedded throughput');
    const cluster = await clusterThroughput(o);
    mark('after cluster throughput');
    doc.throughput = { embedded, cluster };
    await save();
  }
  await save();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
