/**
 * The production guard's decision, one step per monitor period. Pure and sandbox-safe: the workflow
 * passes its (deterministic) clock. A breach must hold for `sloBreachesToAct` consecutive conclusive
 * periods (inconclusive ones neither count nor reset: too little data is no evidence either way);
 * then the guard acts once per champion: a rollback to `previous`, or only an alert when the policy
 * says so or when the version it restored breaches again within `guardWindow` (no flapping).
 */
export const SloVerdict = { ok: 'ok', breach: 'breach', inconclusive: 'inconclusive' } as const;
export type SloVerdict = (typeof SloVerdict)[keyof typeof SloVerdict];

/** What the monitor carries between periods (and across continue-as-new). */
export interface GuardState {
  /** The champion the counter refers to; a new champion starts from zero. */
  champion: string | null;
  breaches: number;
  /** The guard already acted on this champion (at most once per champion). */
  acted: boolean;
  /** The last version the guard restored, and when (workflow time, ms). */
  restored: { artifact: string; from: string; atMs: number } | null;
}

export const initialGuard = (): GuardState => ({ champion: null, breaches: 0, acted: false, restored: null });

export interface GuardSettings {
  onSloBreach: 'rollback' | 'alert';
  sloBreachesToAct: number;
  guardWindowMs: number;
}

export type GuardAction = { kind: 'none' } | { kind: 'rollback' } | { kind: 'alert'; why: string };

/** A period's SLO line judged against the sample floor. */
export function sloVerdict(slo: { unavailable: string } | { requests: number; breaches: string[] }, minSamples: number): SloVerdict {
  if ('unavailable' in slo || slo.requests < minSamples) return SloVerdict.inconclusive;
  return slo.breaches.length > 0 ? SloVerdict.breach : SloVerdict.ok;
}

export const NOT_THE_MODEL = 'the version the guard restored breaches too, within the guard window: the fault is probably not the model (a shared dependency, the host, the network?)';

export function guardStep(prev: GuardState, champion: string, verdict: SloVerdict, s: GuardSettings, nowMs: number): { state: GuardState; action: GuardAction } {
  const base = prev.champion === champion ? prev : { ...prev, champion, breaches: 0, acted: false };
  const breaches = verdict === SloVerdict.breach ? base.breaches + 1 : verdict === SloVerdict.ok ? 0 : base.breaches;
  const state = { ...base, breaches };
  if (state.acted || breaches < s.sloBreachesToAct) return { state, action: { kind: 'none' } };
  const acted = { ...state, acted: true };
  if (s.onSloBreach === 'alert') return { state: acted, action: { kind: 'alert', why: 'policy monitor.onSloBreach is alert' } };
  const r = prev.restored;
  if (r && r.artifact === champion && nowMs - r.atMs <= s.guardWindowMs) return { state: acted, action: { kind: 'alert', why: NOT_THE_MODEL } };
  return { state: acted, action: { kind: 'rollback' } };
}
