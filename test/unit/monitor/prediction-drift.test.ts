/**
 * Prediction drift against the candidate's test-set scores (pure, seeded): the stored reference,
 * and a simulation pinning the false-alarm rate of stable traffic under the default monitor policy
 * (maxPsi 0.2, alpha 0.01, minSamples 100, breachesToAlert 3, rearmAfterStable 5).
 *
 * Measured with these seeds (3,000 test-set scores per reference, 20 references):
 * - 100 scores a period (the minSamples floor): 5.1 % of 5,000 stable periods flagged, almost all by
 *   PSI's small-sample noise on 10 bins (KS alone: 1.2 %), and 2 debounced alerts; the bound is 6 %
 *   and 1 alert per 1,000 periods. (40,000 periods: 4.6 % and 4 alerts, 1 per 10,000.)
 * - 1,000 scores a period: 1.0 % of 1,500 periods flagged, all by KS at alpha; no alert. (300 scores,
 *   20,000 periods: 0.7 %, no alert.)
 * - The old baseline, the first period's own 100 scores, flags 39 % of stable periods and alerted 9 of
 *   10 champions within 100 periods: why it only shows, never alerts, for artifacts without a reference.
 * Jest runs this code in a vm context about 50x slower than Node does, hence the modest period counts.
 */
import { mulberry32, normal } from '../../../src/domain/data/prng';
import { numericStats } from '../../../src/domain/data/reference-stats';
import { judgeDrift, predictionDrift, SCORE_REFERENCE_SAMPLE, scoreReference, ScoreReferenceSchema, type NumericReference } from '../../../src/domain/drift';
import { debounceStep, initialDebounce } from '../../../src/domain/monitor/debounce';
import { monitorSettings } from '../../../src/domain/monitor/monitor-spec';

const settings = monitorSettings({});
const TEST_SET = 3000;

/** A classifier's scores: a sigmoid of a normal logit; `shift` moves the logit (0.5 is about 0.4 of its sd). */
const scores = (rand: () => number, n: number, shift = 0) => Array.from({ length: n }, () => 1 / (1 + Math.exp(-(-0.8 + shift + 1.2 * normal(rand)))));

function testSetReference(rand: () => number): NumericReference {
  const ref = scoreReference({ artifactId: 'art-0000000000000000', snapshotId: 'snap', scores: scores(rand, TEST_SET) });
  if (!ref) throw new Error('no reference');
  return ref.scores;
}

interface Run {
  periods: number;
  flagged: number;
  alerts: number;
  /** Period (1-based) of each reference's first alert, or null. */
  firstAlert: Array<number | null>;
}

/** `references` references, each judged over `periods` periods of `n` scores, debounced as the monitor does. */
function simulate(o: { seed: number; references: number; periods: number; n: number; shift?: number; reference?: (rand: () => number) => NumericReference }): Run {
  const run: Run = { periods: 0, flagged: 0, alerts: 0, firstAlert: [] };
  for (let r = 0; r < o.references; r++) {
    const rand = mulberry32(o.seed + r);
    const reference = (o.reference ?? testSetReference)(rand);
    let state = initialDebounce();
    let first: number | null = null;
    for (let p = 1; p <= o.periods; p++) {
      const drift = predictionDrift(reference, scores(rand, o.n, o.shift), settings.drift);
      const step = debounceStep(state, judgeDrift({ features: [drift] }, settings.drift).verdict, settings);
      state = step.state;
      run.periods++;
      if (drift.drifted) run.flagged++;
      if (step.fire) {
        run.alerts++;
        first ??= p;
      }
    }
    run.firstAlert.push(first);
  }
  return run;
}

describe('the test-set score reference', () => {
  it('keeps every test-set score up to SCORE_REFERENCE_SAMPLE, sorted, and passes its schema', () => {
    const values = scores(mulberry32(1), 1500);
    const ref = scoreReference({ artifactId: 'art-0123456789abcdef', snapshotId: 'snap-1', scores: values });
    expect(ScoreReferenceSchema.parse(JSON.parse(JSON.stringify(ref)))).toEqual(ref);
    expect(ref?.scores.count).toBe(1500);
    expect(ref?.scores.sample).toEqual([...values].sort((a, b) => a - b));
    expect(scoreReference({ artifactId: 'a', snapshotId: 's', scores: scores(mulberry32(2), 10_000) })?.scores.sample).toHaveLength(SCORE_REFERENCE_SAMPLE);
  });

  it('is the same file for the same scores (a re-run evaluation writes identical content), and absent without a finite score', () => {
    const a = scoreReference({ artifactId: 'a', snapshotId: 's', scores: scores(mulberry32(3), 400) });
    const b = scoreReference({ artifactId: 'a', snapshotId: 's', scores: scores(mulberry32(3), 400) });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(scoreReference({ artifactId: 'a', snapshotId: 's', scores: [NaN] })).toBeNull();
  });

  it('rejects a reference file whose bins do not add up', () => {
    const ref = scoreReference({ artifactId: 'a', snapshotId: 's', scores: scores(mulberry32(4), 200) });
    const broken = { ...ref, scores: { ...ref?.scores, proportions: [1] } };
    expect(ScoreReferenceSchema.safeParse(broken).success).toBe(false);
  });
});

describe('prediction drift of stable traffic against 3,000 test-set scores, default policy', () => {
  it('flags at most 6 % of 100-score periods (PSI noise at the sample floor) and alerts at most once per 1,000 periods', () => {
    const run = simulate({ seed: 100_000, references: 20, periods: 250, n: 100 });
    expect(run.periods).toBe(5000);
    expect(run.flagged / run.periods).toBeLessThanOrEqual(0.06);
    expect(run.alerts).toBeLessThanOrEqual(run.periods / 1000);
  });

  it('flags at most alpha (1 %) plus sampling error of 1,000-score periods and never alerts', () => {
    const run = simulate({ seed: 200_000, references: 10, periods: 150, n: 1000 });
    // Three standard errors of a 1 % rate over 1,500 periods: 0.8 %.
    expect(run.flagged / run.periods).toBeLessThanOrEqual(settings.drift.alpha + 0.008);
    expect(run.alerts).toBe(0);
  });

  it('would flag over 30 % of periods, and alert most champions, against the first period\'s own 100 scores (the baseline it replaces)', () => {
    const run = simulate({ seed: 300_000, references: 10, periods: 100, n: 100, reference: (rand) => numericStats(scores(rand, 100)) });
    expect(run.flagged / run.periods).toBeGreaterThan(0.3);
    expect(run.firstAlert.filter((p) => p !== null).length).toBeGreaterThanOrEqual(8);
  });
});

describe('prediction drift of shifted scores', () => {
  it('flags every 300-score period with the logit shifted by 0.5, and alerts after breachesToAlert periods', () => {
    const run = simulate({ seed: 400_000, references: 10, periods: 10, n: 300, shift: 0.5 });
    expect(run.flagged / run.periods).toBeGreaterThanOrEqual(0.95);
    expect(run.firstAlert).toEqual(new Array(10).fill(settings.breachesToAlert));
  });
});
