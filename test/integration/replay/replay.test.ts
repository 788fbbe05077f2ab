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
import { LOCAL_STEPS_PATCH, RELEASE_PATCHES } from '../../../src/workflows/short-steps';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'histories');
const ROOT = path.join(__dirname, '..', '..', '..');
const WORKFLOWS = path.join(ROOT, 'src', 'workflows');
/** A smoke run lasts seconds and checks a deployment; none is ever left running across a deploy. */
const NEEDS_NO_FIXTURE: ReadonlySet<string> = new Set(['smokeWorkflow']);

/** The workflow types a worker can run: the names src/workflows/index.ts exports. */
function exportedWorkflowTypes(): string[] {
  const index = readFileSync(path.join(WORKFLOWS, 'index.ts'), 'utf8');
  return [...index.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim().split(/\s+as\s+/).at(-1)!)).filter(Boolean);
}

/** Every `patched('id')` / `deprecatePatch('id')` in the workflow code (or in the files named). */
function patchIdsInSource(only?: string[]): string[] {
  const files = only ?? readdirSync(WORKFLOWS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const ids = files.flatMap((f) => [...readFileSync(path.join(WORKFLOWS, f), 'utf8').matchAll(/\b(?:patched|deprecatePatch)\(\s*['"`]([^'"`]+)['"`]/g)].map((m) => m[1]!));
  return [...new Set(ids)].sort();
}

/** The patch ids a history's MarkerRecorded events carry (the SDK writes `core_patch` markers with JSON `{ id, deprecated }`). */
function patchIdsRecorded(history: Fixture['history']): string[] {
  return history.events.flatMap((e) => {
    const m = e.markerRecordedEventAttributes;
    const payload = m?.markerName === 'core_patch' ? m.details?.['patch-data']?.payloads?.[0]?.data : undefined;
    return payload ? [(JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { id: string }).id] : [];
  });
}

interface Fixture {
  name: string;
  /** The recorded execution's id: workflows read it (`releaseId`), so replay must use the same one. */
  workflowId: string;
  workflowType: string;
  history: {
    events: Array<{
      eventType: string;
      workflowExecutionStartedEventAttributes?: { workflowId?: string; workflowType?: { name?: string } };
      markerRecordedEventAttributes?: { markerName?: string; details?: Record<string, { payloads?: Array<{ data?: string }> }> };
    }>;
  };
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
      // The local releaseWorkflow below shadows the one `export *` brings in; every other workflow is unchanged.
      `export * from ${JSON.stringify(WORKFLOWS)};`,
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

  it('has a recorded history for every outcome path, including the rollout children of older releases and rollouts run in the release', () => {
    expect(fixtures.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'promoted', 'promoted-rollout', 'rejected-offline', 'rejected-at-deploy-gate',
        'promote-gate-rejected-rolled-back', 'promote-gate-rejected-rolled-back-rollout',
        'cancelled-mid-rollout', 'cancelled-mid-rollout-rollout', 'manual-rollback',
        'promoted-with-monitor', 'kpi-bake-promoted', 'monitor-first-run', 'monitor-after-continue-as-new', 'metrics-error-held',
        // Since the 'rollout-in-release' patch the rollout runs in the release: these have no child.
        'promoted-rollout-in-release', 'cancelled-mid-rollout-in-release', 'ab-loser-rolled-back-in-release',
      ]),
    );
    // Each fixture is a closed run (a monitor's first run ends in continue-as-new), so a replay walks every command it issued.
    for (const f of fixtures) expect(f.history.events.at(-1)?.eventType).toMatch(/^EVENT_TYPE_WORKFLOW_EXECUTION_(COMPLETED|CANCELED|FAILED|CONTINUED_AS_NEW)$/);
  });

  it('has a fixture for every workflow type the workers run, and no fixture of a type they do not', () => {
    const exported = exportedWorkflowTypes();
    const recorded = new Set(fixtures.map((f) => f.workflowType));
    expect(exported).toEqual(expect.arrayContaining(['releaseWorkflow', 'rolloutWorkflow', 'rollbackWorkflow', 'monitorWorkflow']));
    expect(exported.filter((t) => !NEEDS_NO_FIXTURE.has(t) && !recorded.has(t))).toEqual([]);
    expect([...recorded].filter((t) => !exported.includes(t))).toEqual([]);
  });

  it('has a fixture recording every patch marker the workflow code checks, so each patched branch is replayed', () => {
    const ids = patchIdsInSource();
    expect(ids).toEqual(expect.arrayContaining(['mail-retry-in-workflow', 'monitor-on-promotion', 'kpi-bake', 'metrics-error-verdict']));
    const recorded = new Set(fixtures.flatMap((f) => patchIdsRecorded(f.history)));
    expect(ids.filter((id) => !recorded.has(id))).toEqual([]);
  });

  it('has the release with local short steps decide up front every patch the release workflow checks later', () => {
    // A patch first checked after a local activity can fail to replay (local-activity-patch.test.ts).
    const releaseFiles = ['release.ts', 'release-gates.ts', 'release-state.ts', 'rollout.ts', 'ab-rollout.ts'];
    expect(patchIdsInSource(releaseFiles).filter((id) => id !== LOCAL_STEPS_PATCH)).toEqual([...RELEASE_PATCHES].sort());
  });

  it('has a monitor fixture for the run before continue-as-new and the run it started', () => {
    const first = fixtures.find((f) => f.name === 'monitor-first-run');
    const next = fixtures.find((f) => f.name === 'monitor-after-continue-as-new');
    expect(first?.history.events.at(-1)?.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
    expect(next?.workflowType).toBe('monitorWorkflow');
    expect(next?.workflowId).toBe(first?.workflowId);
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
