/**
 * `actOnSloBreach`: the monitor's guard acting on a debounced SLO breach of the champion. With the
 * action `rollback` it starts `rollbackWorkflow` to `previous` under an id derived from the breach
 * (`rollback-<model>-slo-<champion>-<tenure>`, where tenure counts the times this artifact became
 * champion), so a retried activity finds the rollback it started, while the same artifact promoted
 * again and breaching again gets a rollback of its own; with no
 * previous version, or the action `alert`, it only alerts. Either way it mails the owner and the
 * approvers with the evidence.
 */
import type { ModelSpec } from '../../domain/spec';
import type { Mailer } from '../../ports/mailer';
import type { Registry } from '../../ports/registry';
import type { RollbackStarter } from '../../ports/rollback-starter';
import type { SloLine } from './check-period';

export interface SloBreachInput {
  spec: ModelSpec;
  monitorId: string;
  period: number;
  champion: string;
  /** The guard's decision; `alert` carries why it does not roll back. */
  action: { kind: 'rollback' } | { kind: 'alert'; why: string };
  /** The breached periods' SLO lines, oldest first. */
  evidence: SloLine[];
}

export interface SloBreachResult {
  action: 'rollback' | 'alert';
  rollbackId: string | null;
  /** The version the rollback restores. */
  to: string | null;
  note: string;
  mailedTo: string[];
}

export interface SloGuardDeps {
  mailer: Mailer;
  registry: Registry;
  rollbacks: RollbackStarter;
}

export const NO_PREVIOUS = 'no previous version to roll back to';

export const guardRollbackId = (model: string, champion: string, tenure: number) => `rollback-${model}-slo-${champion}-${tenure}`;

/** How many times `artifact` became champion of `model`: its current term as champion is the latest. */
async function championTenure(registry: Registry, model: string, artifact: string): Promise<number> {
  const history = await registry.aliasHistory(model);
  return Math.max(1, history.filter((c) => c.alias === 'champion' && c.to === artifact).length);
}

function mailText(input: SloBreachInput, r: Omit<SloBreachResult, 'mailedTo'>): string {
  const lines = input.evidence.map((e, i) => `  period ${input.period - input.evidence.length + 1 + i}: ${e.requests} requests, p99 ${e.p99Ms?.toFixed(1) ?? '-'} ms, error rate ${e.errorRate?.toFixed(4) ?? '-'}: ${e.breaches.join('; ')}`);
  const action = r.action === 'rollback' ? `Rolled back: ${r.rollbackId} restores ${r.to} (audit: mlgate audit ${r.rollbackId}).` : `Alert only, no rollback: ${r.note}.`;
  return [`The champion of ${input.spec.id}, ${input.champion}, breaches its SLOs (monitor ${input.monitorId}):`, ...lines, '', action].join('\n');
}

export function createActOnSloBreach(deps: SloGuardDeps) {
  return async function actOnSloBreach(input: SloBreachInput): Promise<SloBreachResult> {
    const model = input.spec.id;
    let result: Omit<SloBreachResult, 'mailedTo'> = { action: 'alert', rollbackId: null, to: null, note: input.action.kind === 'alert' ? input.action.why : NO_PREVIOUS };
    if (input.action.kind === 'rollback') {
      const { champion, previous } = await deps.registry.getAliases(model);
      // A retry after the rollback already ran finds the champion moved: naming it makes a repeat a no-op.
      const to = champion === input.champion ? previous : champion;
      if (to) {
        const last = input.evidence[input.evidence.length - 1];
        const reason = `slo_breach: ${last?.breaches.join('; ') ?? 'SLO breached'} (monitor period ${input.period})`;
        const tenure = await championTenure(deps.registry, model, input.champion);
        const r = await deps.rollbacks.startOnce(guardRollbackId(model, input.champion, tenure), { model, toArtifact: to, requester: 'mlgate-monitor', reason, cause: 'slo_breach', evidence: { monitorId: input.monitorId, period: input.period, champion: input.champion, periods: input.evidence } });
        result = { action: 'rollback', rollbackId: r.rollbackId, to, note: `rolled back to ${to}` };
      }
    }
    const to = [...new Set([input.spec.owner, ...input.spec.approval.approvers])];
    const subject = result.action === 'rollback' ? `[mlgate] ${model}: SLO breach on ${input.champion}, rolled back to ${result.to}` : `[mlgate] ${model}: SLO breach on ${input.champion} (alert only)`;
    await deps.mailer.send({ to, subject, text: mailText(input, result) });
    return { ...result, mailedTo: to };
  };
}
