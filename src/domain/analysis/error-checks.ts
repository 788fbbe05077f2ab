/** Error-rate checks: absolute ceiling (exact binomial) and increase over baseline (two-proportion z-test, Fisher for small counts). Pure. */
import type { SloSpec } from '../spec';
import type { VersionSummary } from './window-summary';
import type { CheckResult } from './verdict';
import { binomialUpperTail, proportionIncreaseTest } from '../stats/proportion-tests';

export interface CheckContext {
  candidate: VersionSummary;
  baseline: VersionSummary | null;
  slo: SloSpec;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function absoluteErrorRate({ candidate, slo }: CheckContext): CheckResult {
  const rate = candidate.errors / candidate.requests;
  const p = binomialUpperTail(candidate.errors, candidate.requests, slo.maxErrorRate).pValue;
  const breach = rate > slo.maxErrorRate && p < slo.alpha;
  const why = rate > slo.maxErrorRate && !breach ? ` (above the limit but not significant, p=${p.toPrecision(2)})` : '';
  return {
    name: 'error-rate',
    verdict: breach ? 'fail' : 'pass',
    observed: rate,
    limit: slo.maxErrorRate,
    detail: `candidate error rate ${pct(rate)} (${candidate.errors}/${candidate.requests}) vs limit ${pct(slo.maxErrorRate)}${why}${breach ? `, p=${p.toPrecision(2)}` : ''}`,
  };
}

function errorRateIncrease({ candidate, baseline, slo }: CheckContext & { baseline: VersionSummary }): CheckResult {
  const rc = candidate.errors / candidate.requests;
  const rb = baseline.errors / baseline.requests;
  const diff = rc - rb;
  const test = proportionIncreaseTest(candidate.errors, candidate.requests, baseline.errors, baseline.requests);
  const breach = diff > slo.maxErrorRateIncrease && test.pValue < slo.alpha;
  return {
    name: 'error-rate-increase',
    verdict: breach ? 'fail' : 'pass',
    observed: diff,
    limit: slo.maxErrorRateIncrease,
    detail: `candidate error rate ${pct(rc)} vs baseline ${pct(rb)}: +${pct(Math.max(0, diff))} (limit +${pct(slo.maxErrorRateIncrease)}, ${test.method === 'z' ? `z=${test.statistic.toFixed(2)}` : 'Fisher exact'}, p=${test.pValue.toPrecision(2)})`,
  };
}

export function errorRateChecks(ctx: CheckContext): CheckResult[] {
  const out = [absoluteErrorRate(ctx)];
  if (ctx.baseline) out.push(errorRateIncrease({ ...ctx, baseline: ctx.baseline }));
  return out;
}
