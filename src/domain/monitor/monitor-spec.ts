/**
 * The optional `monitor` section of a model spec: how often the production model is checked, how
 * drift breaches are debounced, and what the online KPI must reach. Pure and sandbox-safe.
 */
import { z } from 'zod';
import { DriftPolicySchema } from '../drift/schema';
import { DurationSchema } from '../duration';

export const MonitorSpecSchema = z.object({
  /** Time between two checks of the production model. @default "1m" */
  period: DurationSchema.default('1m'),
  /** Periods per workflow run before continue-as-new keeps the history small. @default 100 */
  periodsPerRun: z.number().int().min(1).max(10_000).default(100),
  /** Consecutive drifted periods before the owner is alerted and a retrain starts. @default 3 */
  breachesToAlert: z.number().int().min(1).default(3),
  /** Consecutive stable periods after an alert before a new alert may fire. @default 5 */
  rearmAfterStable: z.number().int().min(1).default(5),
  /** Feature drift thresholds. @default { maxPsi: 0.2, alpha: 0.01, minSamples: 100 } */
  drift: DriftPolicySchema.default(DriftPolicySchema.parse({})),
  /** Most logged predictions read per period. @default 5000 */
  maxRowsPerPeriod: z.number().int().min(10).max(100_000).default(5000),
  /** Start a release with reason `drift` on an alert (otherwise only mail the owner). @default true */
  retrainOnDrift: z.boolean().default(true),
  /** Labelled predictions needed before the online KPI gives a verdict. @default 30 */
  minLabels: z.number().int().min(1).default(30),
  /** Online accuracy (share of labels equal to the prediction) the KPI verdict requires. @default 0.6 */
  minOnlineAccuracy: z.number().min(0).max(1).default(0.6),
  /** What the guard does when the champion breaches its SLOs: roll back to `previous`, or only alert. @default "rollback" */
  onSloBreach: z.enum(['rollback', 'alert']).default('rollback'),
  /** Consecutive breached periods (inconclusive ones neither count nor reset) before the guard acts. @default 2 */
  sloBreachesToAct: z.number().int().min(1).max(100).default(2),
  /** A version restored by the guard that breaches within this window only alerts: the fault is probably not the model. @default "1h" */
  guardWindow: DurationSchema.default('1h'),
});
export type MonitorSpec = z.infer<typeof MonitorSpecSchema>;
export type MonitorSpecInput = z.input<typeof MonitorSpecSchema>;

/** The spec's monitor section with every default filled in. */
export function monitorSettings(section: MonitorSpecInput | undefined): MonitorSpec {
  return MonitorSpecSchema.parse(section ?? {});
}
