/**
 * Where a process's CPU went, from the .cpuprofile files `node --cpu-prof` writes (one per thread:
 * the main thread, the SDK's workflow thread(s), the bundler child). Per file: the sampled time
 * (idle excluded), the top functions by self time and by inclusive time, and the self time per
 * source (the workflow bundle, @temporalio/*, zod, node internals...). Plain JSON, no dependencies.
 *
 *   node --import tsx bench/overhead/profile-summary.ts <dir-or-files...> [--top 25] [--match workflow] [--merge]
 * --merge sums the files that --match selects into one summary (e.g. the many workflow threads of replay workers).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);

/** Short name of where a function comes from: a package, the workflow bundle, node internals. */
export function sourceOf(url: string): string {
  if (!url) return '(native/vm)';
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node internals';
  if (/workflow|bundle/i.test(url) && !url.startsWith('file://')) return `workflow bundle (${url.slice(0, 60)})`;
  return url.replace(/^file:\/\//, '').replace(/^.*\/(src|bench)\//, '$1/');
}

const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${sourceOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

export function summarize(p: Profile, top: number) {
  return rankTimes(selfTimes(p), top);
}

interface Times {
  wallUs: number;
  busyUs: number;
  special: Map<string, number>;
  selfByLabel: Map<string, number>;
  inclByLabel: Map<string, number>;
  bySource: Map<string, number>;
}

function selfTimes(p: Profile): Times {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; charge it to the sample (V8's own convention is close enough).
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const selfByLabel = new Map<string, number>();
  const inclByLabel = new Map<string, number>();
  const bySource = new Map<string, number>();
  const special = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    if (IDLE.has(n.callFrame.functionName)) {
      special.set(n.callFrame.functionName, (special.get(n.callFrame.functionName) ?? 0) + us);
      if (n.callFrame.functionName !== '(idle)') busy += us;
      continue;
    }
    busy += us;
    selfByLabel.set(label(n), (selfByLabel.get(label(n)) ?? 0) + us);
    bySource.set(sourceOf(n.callFrame.url), (bySource.get(sourceOf(n.callFrame.url)) ?? 0) + us);
    // Inclusive: once per distinct label on the stack (recursion counted once).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      inclByLabel.set(l, (inclByLabel.get(l) ?? 0) + us);
    }
  }
  return { wallUs: p.endTime - p.startTime, busyUs: busy, special, selfByLabel, inclByLabel, bySource };
}

const addInto = (a: Map<string, number>, b: Map<string, number>) => {
  for (const [k, v] of b) a.set(k, (a.get(k) ?? 0) + v);
};

function merge(all: Times[]): Times {
  const out: Times = { wallUs: 0, busyUs: 0, special: new Map(), selfByLabel: new Map(), inclByLabel: new Map(), bySource: new Map() };
  for (const t of all) {
    out.wallUs += t.wallUs;
    out.busyUs += t.busyUs;
    for (const k of ['special', 'selfByLabel', 'inclByLabel', 'bySource'] as const) addInto(out[k], t[k]);
  }
  return out;
}

function rankTimes(t: Times, top: number) {
  const ms = (us: number) => +(us / 1000).toFixed(1);
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => ({ ms: ms(v), pct: +((100 * v) / t.busyUs).toFixed(1), fn: k }));
  return {
    wallMs: ms(t.wallUs),
    busyMs: ms(t.busyUs),
    specialMs: Object.fromEntries([...t.special].map(([k, v]) => [k, ms(v)])),
    bySource: rank(t.bySource),
    topSelf: rank(t.selfByLabel),
    topInclusive: rank(t.inclByLabel),
  };
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, match: { type: 'string' }, merge: { type: 'boolean', default: false } } });
  const files = positionals.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(p, f)) : [p]));
  const times = files
    .map((f) => ({ f, t: selfTimes(JSON.parse(readFileSync(f, 'utf8')) as Profile) }))
    .filter(({ t }) => !values.match || [...t.bySource.keys()].some((k) => k.includes(values.match!)));
  const groups = values.merge ? [{ f: `${times.length} files merged`, t: merge(times.map((x) => x.t)) }] : times;
  for (const { f, t } of groups) {
    const s = rankTimes(t, Number(values.top));
    console.log(`\n=== ${f}: wall ${s.wallMs} ms, busy ${s.busyMs} ms ${JSON.stringify(s.specialMs)}`);
    for (const [title, rows] of [['by source (self)', s.bySource], ['top self', s.topSelf], ['top inclusive', s.topInclusive]] as const) {
      console.log(`-- ${title}`);
      for (const r of rows) console.log(`${String(r.ms).padStart(9)} ms ${String(r.pct).padStart(5)}%  ${r.fn}`);
    }
  }
}

if (require.main === module) main();
