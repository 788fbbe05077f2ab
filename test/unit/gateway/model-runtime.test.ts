import { createRuntimeCache } from '../../../src/gateway/model-runtime';
import type { ModelRuntime } from '../../../src/ports/model-runtime';
import type { ArtifactBundle } from '../../../src/domain/model/artifact-bundle';

const runtime = (): ModelRuntime => ({ check: () => [], predict: () => [], close: async () => undefined });

async function until(cond: () => boolean, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('runtime cache, ready()', () => {
  it('has no runtime while loading, the loaded one (the one get resolves) afterwards, and none after the version was freed', async () => {
    let finish: (b: ArtifactBundle) => void = () => undefined;
    const cache = createRuntimeCache({
      loadBundle: () => new Promise<ArtifactBundle>((r) => (finish = r)),
      createRuntime: async () => runtime(),
      releaseAfterMs: 1,
    });
    const loading = cache.get('v1');
    expect(cache.ready('v1')).toBeUndefined();
    finish({} as ArtifactBundle);
    const loaded = await loading;
    expect(cache.ready('v1')).toBe(loaded);
    cache.retain(new Set());
    await until(() => cache.loaded().length === 0);
    expect(cache.ready('v1')).toBeUndefined();
  });

  it('has no runtime for a version whose load failed', async () => {
    const cache = createRuntimeCache({ loadBundle: async () => Promise.reject(new Error('no such artifact')), createRuntime: async () => runtime() });
    await expect(cache.get('v1')).rejects.toThrow('no such artifact');
    expect(cache.ready('v1')).toBeUndefined();
  });

  it('keeps a runtime that ready() hands out while its release was pending (the version was routed again)', async () => {
    const cache = createRuntimeCache({ loadBundle: async () => ({}) as ArtifactBundle, createRuntime: async () => runtime(), releaseAfterMs: 50 });
    const loaded = await cache.get('v1');
    cache.retain(new Set());
    expect(cache.ready('v1')).toBe(loaded);
    await new Promise((r) => setTimeout(r, 200));
    expect(cache.ready('v1')).toBe(loaded);
    await cache.close();
  });
});
