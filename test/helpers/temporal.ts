/** Test helpers for a real Temporal server (started once per run by global-setup.ts). */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { WORKFLOWS_PATH } from '../../src/workers/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../src/workers/bundle-options';
import { connectTemporal } from '../../src/temporal/connection-interceptors';

export function temporalAddress(): string {
  const address = process.env.MLGATE_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('MLGATE_TEST_TEMPORAL_ADDRESS is not set: run tests through jest (global-setup starts Temporal)');
  return address;
}

export async function testClient(): Promise<{ client: Client; connection: Connection }> {
  const connection = await connectTemporal({ address: temporalAddress() });
  return { client: new Client({ connection, namespace: 'default' }), connection };
}

let runtimeInstalled = false;
/** Worker logs at WARN: the INFO state chatter drowns the test output. */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // An earlier test file in this jest worker process already installed the runtime.
  }
}

/** Bundle the workflows once per test file (webpack takes seconds). */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  quietRuntime();
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger, ...WORKFLOW_BUNDLE_OPTIONS });
}

/**
 * Cleanup: terminate a workflow that may still run. One that completed meanwhile (or never started)
 * is what cleanup wants, so WorkflowNotFoundError is fine; any other error (server gone, wrong
 * namespace) fails the test instead of hiding.
 */
export async function terminateIfRunning(client: Client, workflowId: string, reason = 'test cleanup'): Promise<void> {
  try {
    await client.workflow.getHandle(workflowId).terminate(reason);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

/**
 * Cleanup: terminate every running workflow whose id starts with `idPrefix`. Visibility lags, so a
 * workflow listed as running may have completed by the time it is terminated; that race is not a failure.
 */
export async function terminateRunning(client: Client, idPrefix: string, reason = 'test cleanup'): Promise<void> {
  for await (const wf of client.workflow.list({ query: `ExecutionStatus = "Running" AND WorkflowId STARTS_WITH "${idPrefix}"` })) {
    await terminateIfRunning(client, wf.workflowId, reason);
  }
}

/** A task queue / id suffix unique to this test, so tests never pick up each other's tasks. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
