/**
 * How mlgate bundles its workflow code (the worker's bundle child, tests and benches alike), so
 * the bundle a worker runs is the bundle the replay tests check.
 */
import type { BundleOptions } from '@temporalio/worker';

/** Modules every workflow in a workflow thread shares instead of evaluating its own copy (src/workflows/shared-modules.ts). */
export const WORKFLOW_BUNDLE_OPTIONS = {
  preloadModules: [require.resolve('../workflows/shared-modules')],
} satisfies Partial<BundleOptions>;
