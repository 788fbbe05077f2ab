/**
 * Where a worker process's memory is, sampled from inside it: the kernel's view of the process
 * (/proc/self/status: anonymous against file-backed pages, the thread count), the main
 * thread's V8 heap (process.memoryUsage()) and every worker thread's V8 heap. The SDK runs the
 * workflow sandbox in a worker thread whose isolate is not in process.memoryUsage(); it is read
 * through the inspector's NodeWorker domain (Runtime.getHeapUsage in that thread), which needs no
 * change to the SDK. What is left of the anonymous memory after the V8 heaps and array buffers is
 * native: sdk-core (Rust), malloc arenas, thread stacks, addons.
 */
import { Session } from 'node:inspector';
import { readFileSync } from 'node:fs';

const MB = 2 ** 20;
const round = (bytes: number) => Math.round(bytes / MB);

/** One sample, MB. */
export interface MemorySample {
  rss: number;
  anonymous: number;
  fileBacked: number;
  /** OS threads of the process (V8 helpers, libuv pool, sdk-core's runtime, worker threads). */
  osThreads: number;
  mainHeapTotal: number;
  mainHeapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Summed over the worker threads (the SDK's workflow thread), as of the last answer. */
  threadHeapTotal: number;
  threadHeapUsed: number;
  workerThreads: number;
  /** Workflow executions in the worker's cache (Worker.getStatus()). */
  cachedWorkflows: number;
  /** anonymous − V8 heaps (main + threads) − array buffers: malloc'd native memory, stacks, code. */
  nativeEstimate: number;
}

/**
 * From /proc/self/status (RssAnon, RssFile, RssShmem), read in microseconds. smaps_rollup, read
 * before, walks every mapping of the process: in a worker with its V8 cages that took about 14 ms a
 * read, every 250 ms on the worker's own event loop, and was a tenth of its main thread's CPU.
 */
function kernelView(): Pick<MemorySample, 'rss' | 'anonymous' | 'fileBacked' | 'osThreads'> {
  const status = readFileSync('/proc/self/status', 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  const kb = (name: string) => field(name) * 1024;
  return { rss: round(kb('VmRSS')), anonymous: round(kb('RssAnon')), fileBacked: round(kb('RssFile') + kb('RssShmem')), osThreads: field('Threads') };
}

type HeapUsage = { usedSize: number; totalSize: number };
type ThreadHeap = HeapUsage & { file: string };

/**
 * The V8 heaps of this process's worker threads, asked through the inspector (no SDK change).
 * With `collectFirst`, each thread runs a full GC before it answers: its heap in use is then what
 * is live, not what is live plus garbage not yet collected (this slows the thread; diagnosis only).
 */
function threadHeaps(o: { collectFirst: boolean }) {
  const session = new Session();
  session.connect();
  const heaps = new Map<string, ThreadHeap>();
  const pending = new Map<number, string>();
  let nextId = 1;
  const send = (sessionId: string, method: string) => {
    const id = nextId++;
    pending.set(id, sessionId);
    session.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method }) });
  };
  session.on('NodeWorker.attachedToWorker', ({ params }) => heaps.set(params.sessionId, { usedSize: 0, totalSize: 0, file: params.workerInfo.url.split('/').slice(-2).join('/') }));
  session.on('NodeWorker.detachedFromWorker', ({ params }) => heaps.delete(params.sessionId));
  session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
    const reply = JSON.parse(params.message) as { id?: number; result?: Partial<HeapUsage> };
    const sessionId = reply.id === undefined ? undefined : pending.get(reply.id);
    if (sessionId === undefined) return;
    pending.delete(reply.id!);
    const heap = heaps.get(sessionId);
    if (heap && reply.result?.totalSize !== undefined) heaps.set(sessionId, { ...heap, ...(reply.result as HeapUsage) });
  });
  session.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
  return {
    /** Asks every thread again; the answers land before the next sample. */
    refresh() {
      for (const sessionId of heaps.keys()) {
        if (o.collectFirst) send(sessionId, 'HeapProfiler.collectGarbage');
        send(sessionId, 'Runtime.getHeapUsage');
      }
    },
    totals: () => {
      let used = 0;
      let total = 0;
      for (const h of heaps.values()) {
        used += h.usedSize;
        total += h.totalSize;
      }
      return { threadHeapUsed: round(used), threadHeapTotal: round(total), workerThreads: heaps.size };
    },
    /** Each thread's heap (MB) by the file it runs. */
    each: () => [...heaps.values()].map((h) => ({ file: h.file, used: round(h.usedSize), total: round(h.totalSize) })),
    close: () => session.disconnect(),
  };
}

function sampleNow(threads: ReturnType<typeof threadHeaps>, cachedWorkflows: () => number): MemorySample {
  const k = kernelView();
  const m = process.memoryUsage();
  const t = threads.totals();
  threads.refresh();
  const mainHeapTotal = round(m.heapTotal);
  return {
    ...k, mainHeapTotal, mainHeapUsed: round(m.heapUsed), external: round(m.external), arrayBuffers: round(m.arrayBuffers), ...t, cachedWorkflows: cachedWorkflows(),
    nativeEstimate: k.anonymous - mainHeapTotal - t.threadHeapTotal - round(m.arrayBuffers),
  };
}

/**
 * Samples every `everyMs`: the peak of each figure on its own, the whole breakdown at the moment
 * RSS peaked, and a timeline (one sample every `timelineEveryMs`) to see how memory grows.
 */
export interface WorkerMemoryReport {
  peak: Partial<MemorySample>;
  atPeakRss: MemorySample | undefined;
  /** Each worker thread's heap at peak RSS, by the file it runs (the SDK's workflow thread is workflow-worker-thread.js). */
  threadsAtPeakRss: Array<{ file: string; used: number; total: number }>;
  timeline: Array<MemorySample & { s: number }>;
}

export function startMemoryProbe(o: { everyMs: number; timelineEveryMs: number; collectThreadGarbage: boolean; cachedWorkflows: () => number }) {
  const threads = threadHeaps({ collectFirst: o.collectThreadGarbage });
  let threadsAtPeakRss: WorkerMemoryReport['threadsAtPeakRss'] = [];
  const peak: Partial<MemorySample> = {};
  let atPeakRss: MemorySample | undefined;
  const timeline: Array<MemorySample & { s: number }> = [];
  const t0 = Date.now();
  let lastTimeline = -Infinity;
  const timer = setInterval(() => {
    const s = sampleNow(threads, o.cachedWorkflows);
    for (const k of Object.keys(s) as Array<keyof MemorySample>) peak[k] = Math.max(peak[k] ?? -Infinity, s[k]);
    if (!atPeakRss || s.rss >= atPeakRss.rss) {
      atPeakRss = s;
      threadsAtPeakRss = threads.each();
    }
    if (Date.now() - lastTimeline >= o.timelineEveryMs) {
      lastTimeline = Date.now();
      timeline.push({ s: Math.round((lastTimeline - t0) / 1000), ...s });
    }
  }, o.everyMs);
  timer.unref();
  return {
    report: (): WorkerMemoryReport => ({ peak, atPeakRss, threadsAtPeakRss, timeline }),
    stop() {
      clearInterval(timer);
      threads.close();
    },
  };
}
