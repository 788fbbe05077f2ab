/**
 * The workflow bundles the benches compare, built the one way: mlgate's (what the worker runs),
 * the SDK's defaults (every new workflow evaluates zod and the domain modules again), and zod
 * shared alone (the default before the domain schemas were shared, src/workflows/shared-modules.ts).
 */
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../src/workers/bundle-options';
import { WORKFLOWS_PATH } from '../../src/workers/worker';

export type BundleKind = 'mlgate' | 'sdk-defaults' | 'zod-only';

const OPTIONS: Record<BundleKind, { preloadModules?: string[] }> = {
  mlgate: WORKFLOW_BUNDLE_OPTIONS,
  'sdk-defaults': {},
  'zod-only': { preloadModules: [require.resolve('../../src/workflows/zod-config')] },
};

export function benchWorkflowBundle(kind: BundleKind): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN'), ...OPTIONS[kind] });
}
