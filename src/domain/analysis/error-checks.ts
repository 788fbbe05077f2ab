/**
 * Error-rate checks, anytime-valid (see `./e-processes` and `./alpha-budget`): the absolute ceiling
 * (one Bernoulli arm against `slo.maxErrorRate`) and the increase over the baseline (two Bernoulli
 * arms, one-sided). Each may be judged at every poll. Pure.
 */
import type { SloSpec } from '../spec';
import type { VersionSummary } from './window-summary';
import type { CheckResult } from './verdict';
import { bernoulliLimitLogE, increaseLogE, reportE } from './e-processes';

export interface CheckContext {
  candidate: VersionSummary;
  baseline: VersionSummary | null;
  slo: SloSpec;
  /** The level this check alarms at: its share of `slo.alpha` (see `./alpha-budget`). */
  alphaCheck: number;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
export const formatE = (e: number) => (e >= 1e6 ? e.toExponential(1) : e.toPrecision(3));

/** The evidence part of a detail: the e-value against the threshold it must reach. */
export function evidenceText(e: number, alphaCheck: number): string {
  return `e=${formatE(e)} (fails at ${formatE(1 / alphaCheck)})`;
}

/** The decision alone, without the wording (the simulations call it after every request). */
export function judgeErrorRate({ candidate, slo, alphaCheck }: Omit<CheckContext, 'baseline'>): { breach: boolean; e: number } {
  const rate = candidate.errors / candidate.requests;
  const e = reportE(bernoulliLimitLogE({ successes: candidate.errors, trials: candidate.requests, p0: slo.maxErrorRate, side: 'above' }));
  return { breach: rate > slo.maxErrorRate && e >= 1 / alphaCheck, e };
}

function absoluteErrorRate(ctx: CheckContext): CheckResult {
  const { candidate, slo, alphaCheck } = ctx;
  const rate = candidate.errors / candidate.requests;
  const { breach, e } = judgeErrorRate(ctx);
  const why = rate > slo.maxErrorRate && !breach ? ' (above the limit, not yet significant)' : '';
  return {
    name: 'error-rate',
    verdict: breach ? 'fail' : 'pass',
    observed: rate,
    limit: slo.maxErrorRate,
    eValue: e,
    alpha: alphaCheck,
    detail: `candidate error rate ${pct(rate)} (${candidate.errors}/${candidate.requests}) vs limit ${pct(slo.maxErrorRate)}${why}, ${evidenceText(e, alphaCheck)}`,
  };
}

/**
 * H0: the candidate's error rate is at most the baseline's. The e-value tests that; the observed
 * increase must also be over `maxErrorRateIncrease`, so a tiny but real increase on heavy traffic
 * is not a breach. Requiring both only removes alarms, so the bound on false ones still holds.
 */
export function judgeErrorRateIncrease({ candidate, baseline, slo, alphaCheck }: CheckContext & { baseline: VersionSummary }): { breach: boolean; e: number } {
  const diff = candidate.errors / candidate.requests - baseline.errors / baseline.requests;
  const e = reportE(increaseLogE({ candidate: { hits: candidate.errors, trials: candidate.requests }, baseline: { hits: baseline.errors, trials: baseline.requests } }));
  return { breach: diff > slo.maxErrorRateIncrease && e >= 1 / alphaCheck, e };
}

function errorRateIncrease(ctx: CheckContext & { baseline: VersionSummary }): CheckResult {
  const { candidate, baseline, slo, alphaCheck } = ctx;
  const rc = candidate.errors / candidate.requests;
  const rb = baseline.errors / baseline.requests;
  const diff = rc - rb;
  const { breach, e } = judgeErrorRateIncrease(ctx);
  return {
    name: 'error-rate-increase',
    verdict: breach ? 'fail' : 'pass',
    observed: diff,
    limit: slo.maxErrorRateIncrease,
    eValue: e,
    alpha: alphaCheck,
    detail: `candidate error rate ${pct(rc)} vs baseline ${pct(rb)}: +${pct(Math.max(0, diff))} (limit +${pct(slo.maxErrorRateIncrease)}, ${evidenceText(e, alphaCheck)})`,
  };
}

export function errorRateChecks(ctx: CheckContext): CheckResult[] {
  const out = [absoluteErrorRate(ctx)];
  if (ctx.baseline) out.push(errorRateIncrease({ ...ctx, baseline: ctx.baseline }));
  return out;
}
