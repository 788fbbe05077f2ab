/**
 * `mlgate release --follow`: one line per stage with how long it took (or has taken so far), the
 * gate a release waits on, and the canary step the gateway routes now. On a terminal the lines are
 * redrawn in place (log-update); otherwise a plain line is printed whenever something changes, so
 * logs and pipes get no control codes.
 */
import type { ReleaseStatus } from '../domain/release-status';
import { DECIDABLE } from '../domain/approval/gate-state';

export type FollowOutput = { isTTY?: boolean; write(text: string): unknown };

export interface FollowOptions {
  read: () => Promise<ReleaseStatus>;
  /** The canary step now, e.g. "canary 50%"; null when there is none or it cannot be read. */
  canary: () => Promise<string | null>;
  out: FollowOutput;
  /** @default 500 */
  intervalMs?: number;
  /** @default () => new Date() */
  now?: () => Date;
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** What the release does now, beyond its stage: the gate it waits on, or the canary step. */
export function currentDetail(s: ReleaseStatus, canary: string | null): string {
  const waiting = s.gates.filter((g) => DECIDABLE.includes(g.status)).map((g) => `waiting: ${g.gate} gate, ${g.decisions.filter((d) => d.decision === 'approve').length}/${g.required} approvals from ${g.approvers.join(', ')}`);
  if (waiting.length) return waiting.join('; ');
  return s.stage === 'rollout' && canary ? canary : '';
}

/** One line per stage so far; the last one runs until now unless the release has ended. Pure. */
export function followLines(s: ReleaseStatus, now: Date, canary: string | null): string[] {
  const lines = s.timeline.map((e, i) => {
    const next = s.timeline[i + 1];
    const running = !next && !s.outcome;
    const took = next ? seconds(Date.parse(next.at) - Date.parse(e.at)) : running ? `${seconds(now.getTime() - Date.parse(e.at))} so far` : '';
    const detail = running ? currentDetail(s, canary) : '';
    return `  ${running ? '▸' : '✓'} ${e.stage.padEnd(26)} ${took}${detail ? `  ${detail}` : ''}`.trimEnd();
  });
  if (s.outcome) lines.push(`  outcome: ${s.outcome}${s.reasons.length ? ` (${s.reasons.join('; ')})` : ''}`);
  return lines;
}

/** A line for plain output: what changed, without the ticking elapsed time. */
function plainLine(s: ReleaseStatus, canary: string | null, began: number, now: Date): string {
  const detail = s.outcome ? `outcome ${s.outcome}` : currentDetail(s, canary);
  return `  [+${seconds(now.getTime() - began)}] ${s.stage}${detail ? `  ${detail}` : ''}`;
}

export async function followRelease(o: FollowOptions): Promise<ReleaseStatus> {
  const now = o.now ?? (() => new Date());
  const began = now().getTime();
  const draw = o.out.isTTY ? (await import('log-update')).createLogUpdate(o.out as NodeJS.WriteStream) : null;
  let lastKey = '';
  for (;;) {
    const s = await o.read();
    const canary = s.stage === 'rollout' ? await o.canary().catch(() => null) : null;
    if (draw) draw(followLines(s, now(), canary).join('\n'));
    else {
      const key = `${s.stage}|${s.outcome ?? ''}|${currentDetail(s, canary)}`;
      if (key !== lastKey) o.out.write(`${plainLine(s, canary, began, now())}\n`);
      lastKey = key;
    }
    if (s.outcome) {
      draw?.done();
      return s;
    }
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 500));
  }
}
