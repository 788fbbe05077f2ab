import { detectionFigures, intervalMs, throughputFigures } from '../../../bench/cluster/summary';

const run = (detectionMs: number, over: Partial<{ outcome: string; beforeFault: boolean }> = {}) => ({ detectionMs, totalMs: detectionMs + 100, outcome: 'rolled_back', beforeFault: false, ...over });

describe('detectionFigures', () => {
  it('times only candidates rolled back after the fault and counts the rest as untimed', () => {
    const [f] = detectionFigures([{ source: 'in-memory', scrapeMs: null, runs: [run(900), run(1100), run(50, { beforeFault: true }), run(70_000, { outcome: 'promoted' })] }]);
    expect({ timed: f.timed, untimed: f.untimed, median: f.detectionMs.median, totalMedian: f.totalMs.median }).toEqual({ timed: 2, untimed: 2, median: 1000, totalMedian: 1100 });
  });

  it('gives each Prometheus source its median detection over the in-memory one, in ms and in scrape intervals', () => {
    const figures = detectionFigures([
      { source: 'in-memory', scrapeMs: null, runs: [run(1000), run(1200)] },
      { source: 'prometheus-5s', scrapeMs: 5000, runs: [run(4000), run(4600), run(3000)] },
    ]);
    expect(figures.map((f) => [f.source, f.addedOverInMemoryMs, f.addedInScrapeIntervals])).toEqual([['in-memory', null, null], ['prometheus-5s', 2900, 0.58]]);
  });

  it('leaves the added time unknown when there is no in-memory source or no timed run to compare', () => {
    const alone = detectionFigures([{ source: 'prometheus-1s', scrapeMs: 1000, runs: [run(2000)] }]);
    const untimed = detectionFigures([{ source: 'in-memory', scrapeMs: null, runs: [run(900)] }, { source: 'prometheus-1s', scrapeMs: 1000, runs: [run(10, { beforeFault: true })] }]);
    expect([alone[0].addedOverInMemoryMs, untimed[1].addedOverInMemoryMs]).toEqual([null, null]);
  });
});

describe('throughputFigures', () => {
  it('sets releases per minute side by side with what the second worker and the cluster change', () => {
    expect(throughputFigures({ embedded: 30, oneWorker: 12, twoWorkers: 18 })).toEqual({
      releasesPerMinute: { embedded: 30, clusterOneWorker: 12, clusterTwoWorkers: 18 }, twoWorkersOverOne: 1.5, clusterOneWorkerOverEmbedded: 0.4,
    });
  });

  it('gives no ratio for a part that did not run', () => {
    expect(throughputFigures({ embedded: 30 })).toMatchObject({ twoWorkersOverOne: null, clusterOneWorkerOverEmbedded: null });
  });
});

describe('intervalMs', () => {
  it('reads 500ms, 15s and 1m as milliseconds', () => {
    expect(['500ms', '15s', '1m'].map(intervalMs)).toEqual([500, 15_000, 60_000]);
  });

  it('refuses an interval without a unit and says what one looks like', () => {
    expect(() => intervalMs('15')).toThrow('scrape interval "15" must look like 1s, 500ms or 1m');
  });
});
