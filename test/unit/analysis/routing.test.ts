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

  it('gives the same draw for the same sticky key every time', () => {
    expect(stickyDraw('user-42')).toBe(stickyDraw('user-42'));
    expect(stickyDraw('user-42')).toBeGreaterThanOrEqual(0);
    expect(stickyDraw('user-42')).toBeLessThan(1);
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
