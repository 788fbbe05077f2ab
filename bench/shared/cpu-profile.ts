/**
 * Summarizes a V8 `.cpuprofile` (as `node --cpu-prof` writes it): self and inclusive time per
 * function, and busy time (everything but idle) to divide by the requests served. No dependencies:
 * the format is nodes with parent links by `children`, and a sample list with time deltas.
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  fn: string;
  selfMs: number;
  inclusiveMs: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Everything but `(idle)`: CPU time of the profiled thread. */
  busyMs: number;
  gcMs: number;
  /** Top functions by self time and by inclusive time. */
  bySelf: FunctionTime[];
  byInclusive: FunctionTime[];
  /** Self time by where the code lives (node internals, a package, our src folder). */
  byArea: Record<string, number>;
}

const shortUrl = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'npm:').replace(/^.*\/(src|bench)\//, '$1/');

function keyOf(n: ProfileNode): string {
  const f = n.callFrame;
  if (!f.url) return f.functionName || '(anonymous)';
  return `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
}

function areaOf(n: ProfileNode): string {
  const url = n.callFrame.url;
  if (!url) return n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native)';
  const pkg = /node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const ours = /\/(src|bench)\/([^/]+)/.exec(url);
  return ours ? `${ours[1]}/${ours[2]}` : url;
}

const round = (x: number) => Math.round(x * 10) / 10;

export function summarizeProfile(p: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byArea: Record<string, number> = {};
  let totalUs = 0, idleUs = 0, gcUs = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    const leaf = byId.get(p.samples[i]);
    if (!leaf || dt <= 0) continue;
    totalUs += dt;
    const leafKey = keyOf(leaf);
    if (leafKey === '(idle)') idleUs += dt;
    if (leafKey === '(garbage collector)') gcUs += dt;
    self.set(leafKey, (self.get(leafKey) ?? 0) + dt);
    const area = areaOf(leaf);
    byArea[area] = (byArea[area] ?? 0) + dt;
    // Each function once per sample, so recursion is not counted twice.
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const k = keyOf(byId.get(id) as ProfileNode);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  const list = (m: Map<string, number>) => [...m.keys()].map((fn) => ({ fn, selfMs: round((self.get(fn) ?? 0) / 1000), inclusiveMs: round((inclusive.get(fn) ?? 0) / 1000) }));
  const all = list(inclusive);
  return {
    totalMs: round(totalUs / 1000), busyMs: round((totalUs - idleUs) / 1000), gcMs: round(gcUs / 1000),
    bySelf: [...all].sort((a, b) => b.selfMs - a.selfMs).slice(0, top),
    byInclusive: all.filter((f) => !f.fn.startsWith('(')).sort((a, b) => b.inclusiveMs - a.inclusiveMs).slice(0, top),
    byArea: Object.fromEntries(Object.entries(byArea).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v / 1000)])),
  };
}

export async function summarizeProfileFile(file: string, top?: number): Promise<ProfileSummary> {
  return summarizeProfile(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, top);
}
