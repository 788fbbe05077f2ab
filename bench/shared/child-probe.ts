/**
 * What a benchmark's server child reports about itself over IPC, for `bench/gateway/profile.ts`:
 * between a `start` and a `stop` message, the process's CPU time (every thread, so the prediction
 * log's writer thread counts too), its GC pauses, its event-loop delay and, when asked, a CPU
 * profile of the main thread written to a file. Idle unless asked, so it costs the other benchmarks nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

export type ProbeMessage = { probe: 'start'; profile: boolean } | { probe: 'stop'; profileFile?: string };

export interface ProbeReport {
  cpuMs: number;
  /** The main (event-loop) thread's share of cpuMs; the rest is the writer thread, GC helpers and libuv's pool. */
  mainThreadCpuMs: number;
  gc: { count: number; totalMs: number; maxMs: number; over1ms: number; byKind: Record<string, number> };
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

const GC_KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
const ms = (ns: number) => Math.round(ns / 1e4) / 100;

/** CPU time of the main thread (Linux: its task has the process id), in ms; 0 where /proc is missing. */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in clock ticks of 10 ms.
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}

function startWindow(profile: boolean) {
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  const gc: ProbeReport['gc'] = { count: 0, totalMs: 0, maxMs: 0, over1ms: 0, byKind: {} };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = GC_KINDS[(e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
      gc.count++;
      gc.totalMs += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
      if (e.duration > 1) gc.over1ms++;
      gc.byKind[kind] = (gc.byKind[kind] ?? 0) + 1;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  const eld = monitorEventLoopDelay({ resolution: 1 });
  eld.enable();
  const session = profile ? new Session() : null;
  if (session) {
    session.connect();
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: 250 });
    session.post('Profiler.start');
  }
  return (profileFile: string | undefined, done: (r: ProbeReport) => void) => {
    obs.disconnect();
    eld.disable();
    const c = process.cpuUsage(cpu0);
    const report: ProbeReport = {
      cpuMs: Math.round((c.user + c.system) / 100) / 10,
      mainThreadCpuMs: mainThreadCpuMs() - main0,
      gc: { ...gc, totalMs: Math.round(gc.totalMs * 100) / 100, maxMs: Math.round(gc.maxMs * 100) / 100 },
      eventLoopDelayMs: { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max) },
    };
    if (!session) return done(report);
    session.post('Profiler.stop', (err, res) => {
      if (!err && profileFile) writeFileSync(profileFile, JSON.stringify(res.profile));
      session.disconnect();
      done(report);
    });
  };
}

export function installProbe(): void {
  let stop: ReturnType<typeof startWindow> | null = null;
  process.on('message', (m: ProbeMessage) => {
    if (typeof m !== 'object' || m === null || !('probe' in m)) return;
    if (m.probe === 'start') {
      stop = startWindow(m.profile);
      process.send?.({ probe: 'started' });
    } else if (stop) {
      stop(m.profileFile, (report) => process.send?.({ probe: 'report', report }));
      stop = null;
    }
  });
}
