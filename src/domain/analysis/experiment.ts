/**
 * One look at an A/B experiment: from each arm's feedback tally to the KPI difference's confidence
 * sequence and a call (see `./ab-test` for the test and its guarantee), with a sentence a person
 * can read. Pure: the watch activity calls it at every poll.
 */
import type { AbKpi, AbStrategy } from '../spec';
import type { ExperimentVerdict } from '../approval/views';
import { callExperiment, differenceCs, type DifferenceCs, type KpiBounds } from './ab-test';

/** The part of a feedback tally the experiment reads (see `LabelTally`). */
export interface KpiTally {
  kpiCount: number;
  kpiSum: number;
  kpiMin?: number | null;
  kpiMax?: number | null;
}

export interface ExperimentLook {
  /** `running` until the CS decides; `out-of-bounds` when a value breaks the bounds the guarantee needs. */
  call: 'winner' | 'loser' | 'no-effect' | 'running' | 'out-of-bounds';
  cs: DifferenceCs;
  candidateN: number;
  controlN: number;
  reason: string;
}

/** A conversion is a mean of values in [0, 1]. */
export function kpiBounds(kpi: AbKpi): KpiBounds {
  return kpi.kind === 'conversion' ? { min: 0, max: 1 } : { min: kpi.min, max: kpi.max };
}

export function describeKpi(kpi: AbKpi): string {
  return kpi.kind === 'conversion' ? 'conversion' : `mean in [${kpi.min}, ${kpi.max}]`;
}

const num = (x: number) => Number(x.toPrecision(3)).toString();

function outOfBounds(t: KpiTally | undefined, b: KpiBounds): boolean {
  return !!t && t.kpiCount > 0 && ((t.kpiMin ?? b.min) < b.min || (t.kpiMax ?? b.max) > b.max);
}

export function lookAtExperiment(o: { candidate: KpiTally | undefined; control: KpiTally | undefined; strategy: AbStrategy }): ExperimentLook {
  const s = o.strategy;
  const bounds = kpiBounds(s.kpi);
  const candidate = { n: o.candidate?.kpiCount ?? 0, sum: o.candidate?.kpiSum ?? 0 };
  const control = { n: o.control?.kpiCount ?? 0, sum: o.control?.kpiSum ?? 0 };
  const cs = differenceCs({ candidate, control, bounds, alpha: s.alpha, minEffect: s.minEffect });
  const counts = { candidateN: candidate.n, controlN: control.n };
  const where = `${describeKpi(s.kpi)} difference ${cs.estimate === null ? 'n/a' : num(cs.estimate)}, ${num((1 - s.alpha) * 100)}% confidence sequence [${num(cs.lower)}, ${num(cs.upper)}] (${candidate.n} candidate / ${control.n} control values)`;
  if (outOfBounds(o.candidate, bounds) || outOfBounds(o.control, bounds)) {
    return { call: 'out-of-bounds', cs, ...counts, reason: `feedback kpi values outside [${bounds.min}, ${bounds.max}]: the test's guarantee needs bounded values; ${where}` };
  }
  const call = callExperiment(cs, s.minEffect);
  const why = {
    winner: 'the candidate is better',
    loser: 'the candidate is worse',
    'no-effect': `no difference as large as minEffect ${num(s.minEffect)}`,
    running: 'undecided',
  }[call];
  return { call, cs, ...counts, reason: `${why}: ${where}` };
}

/** The experiment's verdict once the look is final: a call, or inconclusive when time ran out or values broke the bounds. */
export function experimentVerdict(look: ExperimentLook, timedOut: boolean): ExperimentVerdict | null {
  if (look.call === 'winner' || look.call === 'loser') return look.call;
  if (look.call === 'running' && !timedOut) return null;
  return 'inconclusive';
}
