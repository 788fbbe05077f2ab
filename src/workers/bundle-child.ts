/**
 * Run by `bundleWorkflowsApart` in a short-lived process: bundles the workflow code and sends it
 * back over IPC, then exits, taking the bundler's memory with it.
 */
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from './bundle-options';
import { WORKFLOWS_PATH } from './worker';

bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN'), ...WORKFLOW_BUNDLE_OPTIONS }).then(
  (bundle) => process.send?.({ code: bundle.code }, () => process.exit(0)),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
