/**
 * The workflow bundle as the SDK's reusable V8 context runs it: the modules its preload step loads
 * are shared by every workflow; every module loaded after is evaluated again for each workflow and
 * kept while that workflow is cached. This evaluates the real bundle the same way (webpack's module
 * cache routed through `__webpack_module_cache__`) and checks which modules land where.
 */
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import YAML from 'yaml';
import { bundleWorkflows } from '../../helpers/temporal';

type Module = { exports: Record<string, { safeParse(v: unknown): { success: boolean } }> };

describe('the modules workflows share', () => {
  let perWorkflow: string[] = [];
  let shared: Record<string, Module> = {};

  beforeAll(async () => {
    const { code } = await bundleWorkflows();
    let cache: Record<string, Module> = {};
    const context = vm.createContext({});
    Object.defineProperty(context, '__webpack_module_cache__', { get: () => new Proxy({}, { get: (_, id: string) => cache[id], set: (_, id: string, m: Module) => ((cache[id] = m), true) }) });
    vm.runInContext(code, context);
    vm.runInContext('__TEMPORAL__.preloadModules()', context);
    shared = { ...cache };
    cache = { ...shared };
    vm.runInContext('__TEMPORAL__.importWorkflows()', context);
    perWorkflow = Object.keys(cache).filter((id) => !(id in shared));
  }, 120_000);

  it('loads zod and every src/domain module once per workflow thread, so no workflow evaluates its own copy', () => {
    expect(Object.keys(shared).filter((id) => id.includes('src/domain/')).length).toBeGreaterThanOrEqual(15);
    expect(perWorkflow.filter((id) => id.includes('src/domain/') || id.includes('node_modules/zod/'))).toEqual([]);
    expect(perWorkflow.some((id) => id.includes('src/workflows/release.ts'))).toBe(true);
  });

  it('leaves the shared release schema frozen, accepting a valid release and refusing a bad id inside the workflow context', () => {
    const release = Object.entries(shared).find(([id]) => id.endsWith('src/domain/release.ts'))?.[1];
    expect(release).toBeDefined();
    const schema = release!.exports.ReleaseInputSchema;
    expect(Object.isFrozen(schema)).toBe(true);
    const spec: unknown = YAML.parse(readFileSync('examples/iris/model.yaml', 'utf8'));
    const input = { spec, specDir: '/specs', requester: 'alice@example.com', codeVersion: 'abc123' };
    expect(schema.safeParse(input).success).toBe(true);
    expect(schema.safeParse({ ...input, spec: { ...(spec as object), id: 'Not An Id!' } }).success).toBe(false);
  });
});
