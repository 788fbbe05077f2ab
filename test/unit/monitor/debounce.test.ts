import { debounceStep, initialDebounce, type DebounceState } from '../../../src/domain/monitor/debounce';
import type { DriftVerdict } from '../../../src/domain/drift';

const policy = { breachesToAlert: 3, rearmAfterStable: 2 };

/** Runs the verdicts through the debounce and returns the indexes of the periods that fired. */
function fires(verdicts: DriftVerdict[], start: DebounceState = initialDebounce()): { fired: number[]; state: DebounceState } {
  let state = start;
  const fired: number[] = [];
  verdicts.forEach((v, i) => {
    const r = debounceStep(state, v, policy);
    state = r.state;
    if (r.fire) fired.push(i);
  });
  return { fired, state };
}

describe('drift debounce', () => {
  it('fires once when breachesToAlert drifted periods come in a row', () => {
    expect(fires(['drift', 'drift', 'drift']).fired).toEqual([2]);
  });

  it('never fires on isolated drifted periods separated by stable ones', () => {
    expect(fires(['drift', 'drift', 'stable', 'drift', 'drift', 'stable', 'drift']).fired).toEqual([]);
  });

  it('lets inconclusive periods neither count toward nor reset a streak', () => {
    expect(fires(['drift', 'inconclusive', 'drift', 'inconclusive', 'drift']).fired).toEqual([4]);
  });

  it('stays latched through continued drift, so one episode alerts exactly once', () => {
    expect(fires(Array<DriftVerdict>(20).fill('drift')).fired).toEqual([2]);
  });

  it('re-arms after rearmAfterStable stable periods and then alerts on a new episode', () => {
    const { fired } = fires(['drift', 'drift', 'drift', 'stable', 'stable', 'drift', 'drift', 'drift']);
    expect(fired).toEqual([2, 7]);
  });

  it('does not re-arm after fewer stable periods than rearmAfterStable', () => {
    expect(fires(['drift', 'drift', 'drift', 'stable', 'drift', 'drift', 'drift']).fired).toEqual([2]);
  });

  it('continues a streak from a carried state, as after continue-as-new', () => {
    const first = fires(['drift', 'drift']);
    expect(first.fired).toEqual([]);
    const carried = JSON.parse(JSON.stringify(first.state)) as DebounceState;
    expect(fires(['drift'], carried).fired).toEqual([0]);
  });
});
