import { canonicalJson } from '../../src/domain/canonical-json';

describe('canonicalJson', () => {
  it('sorts object keys at every depth so equal content encodes identically', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
  });
  it('refuses non-finite numbers instead of writing an id that depends on them', () => {
    expect(() => canonicalJson({ x: NaN })).toThrow(/non-finite/);
  });
});
