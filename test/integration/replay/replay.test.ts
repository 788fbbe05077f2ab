/**
 * Determinism: the checked-in histories of real releases (one per outcome path, recorded by
 * scripts/record-history.ts) must replay against today's workflow code. A change that would break
 * releases already running fails here; guard such a change with `patched()` (README, "Changing
 * workflow code safely").
 */
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflows } from '../../helpers/temporal';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'histories');
const ROOT = path.join(__dirname, '..', '..', '..');

interface Fixture {
  name: string;
  /** The recorded execution's id: workflows read it (`releaseId`), so replay must use the same one. */
  workflowId: string;
  workflowType: string;
  history: { events: Array<{ eventType: string; workflowExecutionStartedEventAttributes?: { workflowId?: string; workflowType?: { name?: string } } }> };
}

function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const history = JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as Fixture['history'];
      const started = history.events[0]?.workflowExecutionStartedEventAttributes;
      return { name: f.replace(/\.json$/, ''), workflowId: started?.workflowId ?? f, workflowType: started?.workflowType?.name ?? 'unknown', history };
    });
}

/** Replays every fixture; returns the failures by fixture name (empty when all replay cleanly). */
async function replayAll(bundle: WorkflowBundleWithSourceMap, fixtures: Fixture[]): Promise<Map<string, Error>> {
  const failures = new Map<string, Error>();
  const histories = fixtures.map((f) => ({ workflowId: f.workflowId, history: f.history }));
  for await (const r of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
    if (r.error) failures.set(fixtures.find((f) => f.workflowId === r.workflowId)?.name ?? r.workflowId, r.error);
  }
  return failures;
}

/**
 * A deliberately incompatible copy of the release workflow: same type name, one extra timer before
 * anything else. It lives in a temp folder, never in src/.
 */
async function bundleWithExtraSleep(dir: string): Promise<WorkflowBundleWithSourceMap> {
  const file = path.join(dir, 'changed-workflows.ts');
  const original = path.join(ROOT, 'src', 'workflows', 'release');
  writeFileSync(
    file,
    [
      `import { sleep } from '@temporalio/workflow';`,
      `import { releaseWorkflow as original } from ${JSON.stringify(original)};`,
      `export { rolloutWorkflow, rollbackWorkflow } from ${JSON.stringify(path.join(ROOT, 'src', 'workflows'))};`,
      `export async function releaseWorkflow(input: Parameters<typeof original>[0]) {`,
      `  await sleep('1s');`,
      `  return original(input);`,
      `}`,
    ].join('\n'),
  );
  const noop = () => undefined;
  return bundleWorkflowCode({
    workflowsPath: file,
    logger: { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop },
    // The temp file is outside the project: let webpack find @temporalio/workflow in our node_modules.
    webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, modules: [path.join(ROOT, 'node_modules'), 'node_modules'] } }),
  });
}

describe('replay of checked-in release histories', () => {
  const fixtures = loadFixtures();

  it('has a recorded history for every outcome path, including the rollout children', () => {
    expect(fixtures.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'promoted', 'promoted-rollout', 'rejected-offline', 'rejected-at-deploy-gate',
        'promote-gate-rejected-rolled-back', 'promote-gate-rejected-rolled-back-rollout',
        'cancelled-mid-rollout', 'cancelled-mid-rollout-rollout', 'manual-rollback',
      ]),
    );
    // Each fixture is a finished execution, so a replay walks every command the workflow issued.
    for (const f of fixtures) expect(f.history.events.at(-1)?.eventType).toMatch(/^EVENT_TYPE_WORKFLOW_EXECUTION_(COMPLETED|CANCELED|FAILED)$/);
    expect(new Set(fixtures.map((f) => f.workflowType))).toEqual(new Set(['releaseWorkflow', 'rolloutWorkflow', 'rollbackWorkflow']));
  });

  it('replays every fixture against the current workflow code without a determinism violation', async () => {
    const failures = await replayAll(await bundleWorkflows(), fixtures);
    expect([...failures].map(([name, err]) => `${name}: ${err.message}`)).toEqual([]);
  });

  it('fails with a DeterminismViolationError when the release workflow adds a timer before its first step', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-replay-'));
    try {
      const changed = await bundleWithExtraSleep(dir);
      const releases = fixtures.filter((f) => f.workflowType === 'releaseWorkflow');
      const failures = await replayAll(changed, releases);
      expect([...failures.keys()].sort()).toEqual(releases.map((f) => f.name).sort());
      for (const err of failures.values()) expect(err).toBeInstanceOf(DeterminismViolationError);
      // The unchanged workflows in the same bundle still replay: the failure is the change, not the setup.
      const unchanged = await replayAll(changed, fixtures.filter((f) => f.workflowType !== 'releaseWorkflow'));
      expect([...unchanged].map(([name, err]) => `${name}: ${err.message}`)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
