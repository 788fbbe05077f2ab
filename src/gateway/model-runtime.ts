/**
 * The gateway's runtimes, one per artifact: loaded once (concurrent first requests share the load,
 * a failed load is retried next time), and freed once the version has left every model's routing.
 * The free waits a grace period, so requests still in flight on the old version finish on it.
 */
import type { ArtifactBundle } from '../domain/model/artifact-bundle';
import type { ModelRuntime, ModelRuntimeFactory } from '../ports/model-runtime';

export type { ModelRuntime } from '../ports/model-runtime';

export interface RuntimeCacheOptions {
  loadBundle: (artifactId: string) => Promise<ArtifactBundle>;
  /** Reads an artifact's model.onnx (ONNX artifacts only). */
  loadModelFile?: (artifactId: string) => Promise<Uint8Array>;
  createRuntime: ModelRuntimeFactory;
  /** How long a version that left the routing keeps its runtime. @default 30000 */
  releaseAfterMs?: number;
}

export interface RuntimeCache {
  get(artifactId: string): Promise<ModelRuntime>;
  /** The runtime when it has finished loading (as `get` would resolve it), so a request can be answered without a promise. */
  ready(artifactId: string): ModelRuntime | undefined;
  /** Frees (after the grace period) every runtime whose version is not in `routed`. */
  retain(routed: ReadonlySet<string>): void;
  /** Artifact ids with a runtime loaded or loading. */
  loaded(): string[];
  close(): Promise<void>;
}

export function createRuntimeCache(o: RuntimeCacheOptions): RuntimeCache {
  const cache = new Map<string, Promise<ModelRuntime>>();
  /** The loaded ones of `cache`, for the synchronous predict path; only ever set while the same promise is still cached. */
  const loadedRuntimes = new Map<string, ModelRuntime>();
  const pendingRelease = new Map<string, NodeJS.Timeout>();
  const keep = (id: string) => {
    const timer = pendingRelease.get(id);
    if (timer) {
      clearTimeout(timer);
      pendingRelease.delete(id);
    }
  };
  const load = async (id: string) => {
    const bundle = await o.loadBundle(id);
    return o.createRuntime(bundle, () => {
      if (!o.loadModelFile) throw new Error(`artifact ${id} is ${bundle.format} but this gateway cannot read model files`);
      return o.loadModelFile(id);
    });
  };
  const free = (id: string) => {
    pendingRelease.delete(id);
    const p = cache.get(id);
    cache.delete(id);
    loadedRuntimes.delete(id);
    return p?.then((r) => r.close(), () => undefined);
  };
  return {
    get(id) {
      keep(id);
      let p = cache.get(id);
      if (!p) {
        const loading = load(id);
        p = loading;
        cache.set(id, loading);
        loading.then((r) => {
          if (cache.get(id) === loading) loadedRuntimes.set(id, r);
        }, () => cache.delete(id));
      }
      return p;
    },
    ready(id) {
      const r = loadedRuntimes.get(id);
      if (r && pendingRelease.size > 0) keep(id);
      return r;
    },
    retain(routed) {
      for (const id of cache.keys()) {
        if (routed.has(id) || pendingRelease.has(id)) continue;
        const t = setTimeout(() => void free(id), o.releaseAfterMs ?? 30_000);
        t.unref();
        pendingRelease.set(id, t);
      }
    },
    loaded: () => [...cache.keys()],
    async close() {
      for (const t of pendingRelease.values()) clearTimeout(t);
      await Promise.all([...cache.keys()].map(free));
    },
  };
}
