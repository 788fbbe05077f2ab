/**
 * Loaded once per workflow thread, before any workflow, and shared by every workflow in the SDK's
 * reusable V8 context (`bundlerOptions.preloadModules`, src/workers/bundle-options.ts). Without it
 * each new workflow (every release, its rollout child, every replay after an eviction) evaluated
 * zod's ~90 modules and mlgate's domain modules again before its first line ran, and kept its own
 * copy of every schema for as long as it stayed cached: about 700 KB per cached workflow
 * (bench/load/module-cost.ts), most of a 200-release worker's memory.
 *
 * Shared: zod, and every src/domain module a workflow imports (the list below; a test checks that
 * the bundle evaluates no src/domain module per workflow). They are pure: no module-level state,
 * and a parse keeps its state on the stack. The SDK deep-freezes what it shares, and zod finishes
 * building a schema on its first use, so shareSchemas() does that first, then freezes and checks
 * them (src/workflows/share-schemas.ts).
 *
 * zod's configuration comes first (src/workflows/zod-config.ts): it must hold before any schema
 * is built.
 *
 * Must stay free of @temporalio/workflow: no workflow exists yet when this runs.
 */
import './zod-config';
import * as alphaBudget from '../domain/analysis/alpha-budget';
import * as approvalDecision from '../domain/approval/decision';
import * as gateState from '../domain/approval/gate-state';
import * as approvalPolicy from '../domain/approval/policy';
import * as validateDecision from '../domain/approval/validate-decision';
import * as driftSchema from '../domain/drift/schema';
import * as duration from '../domain/duration';
import * as errors from '../domain/errors';
import * as metricDirection from '../domain/metrics/direction';
import * as championReason from '../domain/monitor/champion-reason';
import * as debounce from '../domain/monitor/debounce';
import * as monitorSpec from '../domain/monitor/monitor-spec';
import * as sloGuard from '../domain/monitor/slo-guard';
import * as offlineGate from '../domain/offline-gate';
import * as releaseEvidence from '../domain/release-evidence';
import * as release from '../domain/release';
import * as spec from '../domain/spec';
import { shareSchemas } from './share-schemas';

shareSchemas({
  alphaBudget, approvalDecision, gateState, approvalPolicy, validateDecision, driftSchema, duration, errors, metricDirection,
  championReason, debounce, monitorSpec, sloGuard, offlineGate, releaseEvidence, release, spec,
});
