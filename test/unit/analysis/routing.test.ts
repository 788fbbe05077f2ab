import { chooseRoute, RoutingInputSchema, sameRouting, stickyDraw, type Routing } from '../../../src/domain/routing';

const base: Routing = { stable: { version: 'a' }, generation: 1 };

describe('routing', () => {
  it('sends a canary request to the candidate when the draw falls under the weight', () => {
    const r: Routing = { ...base, candidate: { version: 'b', mode: 'canary', weight: 25 } };
    expect(chooseRoute(r, 0.2, 0)).toEqual({ serve: 'b' });
    expect(chooseRoute(r, 0.3, 0)).toEqual({ serve: 'a' });
  });

  it('serves stable and mirrors a sampled share to a shadow candidate', () => {
    const r: Routing = { ...base, candidate: { version: 'b', mode: 'shadow', weight: 0, sampleRate: 0.5 } };
    expect(chooseRoute(r, 0.99, 0.4)).toEqual({ serve: 'a', mirror: 'b' });
    expect(chooseRoute(r, 0.99, 0.6)).toEqual({ serve: 'a' });
  });

  it('spreads sticky keys evenly over [0, 1), so a canary weight is the share of users it gets', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);
    const draws = keys.map(stickyDraw);
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
    const deciles = Array<number>(10).fill(0);
    for (const d of draws) deciles[Math.floor(d * 10)]++;
    // Each decile holds 10% of the keys; 1.5 points is over 7 standard errors at n = 20,000.
    for (const n of deciles) expect(Math.abs(n / keys.length - 0.1)).toBeLessThan(0.015);
    const r: Routing = { ...base, candidate: { version: 'b', mode: 'canary', weight: 25 } };
    const share = keys.filter((k) => chooseRoute(r, stickyDraw(k), 0)?.serve === 'b').length / keys.length;
    expect(Math.abs(share - 0.25)).toBeLessThan(0.015);
  });

  it('gives every sticky key the same draw each time it is asked', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `session-${i * 7919}`);
    expect(keys.map(stickyDraw)).toEqual(keys.map(stickyDraw));
  });

  it('treats routings that differ only in generation and author as the same', () => {
    expect(sameRouting({ ...base, updatedBy: 'x' }, { stable: { version: 'a' } })).toBe(true);
    expect(sameRouting(base, { stable: { version: 'b' } })).toBe(false);
  });

  it('rejects a weight over 100 naming the field', () => {
    const r = RoutingInputSchema.safeParse({ stable: { version: 'a' }, candidate: { version: 'b', mode: 'canary', weight: 120 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['candidate', 'weight']);
  });
});
