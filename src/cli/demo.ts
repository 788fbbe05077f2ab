/**
 * The demo `npm start` shows: a release of the shipped credit-risk model (or another shipped spec,
 * `--model sklearn-credit`) with live traffic through the gateway. Its gates wait for you (mailbox link or CLI) unless --auto-approve answers them.
 */
import { createReleasePorts } from '../adapters/decisions/temporal';
import { startRelease } from '../adapters/release-starter/temporal';
import type { Config } from '../config/env';
import { generateSyntheticCredit } from '../domain/data/synthetic-credit';
import type { ReleaseStatus } from '../domain/release-status';
import { runTraffic } from '../traffic';
import { connectClient } from '../workers/components';
import { statusQuery } from '../workflows/messages';
import { codeVersion } from './context';
import { renderStatus } from './render-status';
import type { LoadedSpec } from './spec-file';

export interface DemoOptions {
  cfg: Config;
  address: string;
  autoApprove: boolean;
  /** Resolves when the user stops the stack. */
  stopped: Promise<unknown>;
  /** The model to release (`--model`, default the shipped credit-risk spec). */
  spec: LoadedSpec;
}

const DEMO_APPROVERS = { deploy: 'alice@example.com', promote: 'bob@example.com' } as const;

async function trafficUntil(cfg: Config, model: string, done: () => boolean): Promise<void> {
  const rows = generateSyntheticCredit({ rows: 1000, seed: 2024 }) as unknown as Record<string, unknown>[];
  while (!done()) await runTraffic({ gatewayUrl: cfg.gatewayUrl, model, rows, rps: 40, durationMs: 2_000 });
}

export async function runDemo({ cfg, address, autoApprove, stopped, spec: loaded }: DemoOptions): Promise<void> {
  const { client, connection } = await connectClient(cfg, address);
  let finished = false;
  void stopped.then(() => (finished = true));
  try {
    const t0 = Date.now();
    const handle = await startRelease({ client, taskQueue: cfg.MLGATE_TASK_QUEUE, input: { spec: loaded.spec, specDir: loaded.dir, requester: 'demo@example.com', reason: 'manual', reasonDetail: 'demo release started by mlgate dev --demo', codeVersion: codeVersion(cfg) } });
    console.log(`\ndemo: started ${handle.workflowId} with live traffic on ${cfg.gatewayUrl}`);
    if (!autoApprove) console.log(`demo: approve from the mailbox link, or: mlgate approve ${handle.workflowId} --gate deploy --as alice@example.com`);
    const traffic = trafficUntil(cfg, loaded.spec.id, () => finished);
    const ports = createReleasePorts({ client });
    let last = '';
    let status: ReleaseStatus | undefined;
    while (!finished) {
      status = await handle.query(statusQuery);
      if (status.stage !== last) console.log(`demo: ${handle.workflowId} -> ${status.stage} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      last = status.stage;
      const open = status.gates.find((g) => g.status === 'open');
      if (autoApprove && open) await ports.decide({ releaseId: handle.workflowId, gate: open.gate, approver: DEMO_APPROVERS[open.gate], decision: 'approve', comment: 'auto-approved by the demo', channel: 'cli' });
      if (status.outcome) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (status?.outcome) console.log(`demo: ${handle.workflowId} ended ${status.outcome} after ${((Date.now() - t0) / 1000).toFixed(1)} s\n${renderStatus(status)}`);
    finished = true;
    await traffic;
  } finally {
    await connection.close();
  }
}
