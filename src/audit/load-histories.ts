/**
 * Fetches every history a release's audit is built from: all runs of the root workflow (following
 * continue-as-new both ways) and all runs of its child workflows (the rollout), recursively.
 * Each run is kept in the SDK's history JSON form, so the digest and the export see the same bytes.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

/** One event as proto JSON: `eventId` is a string, `eventType` is `EVENT_TYPE_...`. */
export type HistoryJsonEvent = { eventId: string; eventTime: string; eventType: string } & Record<string, unknown>;

export interface RunHistoryJson {
  workflowId: string;
  runId: string;
  workflowType: string;
  /** Parsed SDK history JSON (`{ events: [...] }`); `Worker.runReplayHistory` accepts it as is. */
  history: { events: HistoryJsonEvent[] };
}

export interface LoadedHistories {
  runs: RunHistoryJson[];
  children: RunHistoryJson[];
}

/** The `...EventAttributes` object of an event (exactly one per event). */
export function attributesOf(e: HistoryJsonEvent): Record<string, unknown> {
  const key = Object.keys(e).find((k) => k.endsWith('EventAttributes'));
  return key ? (e[key] as Record<string, unknown>) : {};
}

async function fetchRun(client: Client, workflowId: string, runId: string): Promise<RunHistoryJson> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const json = JSON.parse(historyToJSON(history)) as RunHistoryJson['history'];
  const started = attributesOf(json.events[0]);
  const typeName = (started.workflowType as { name?: string } | undefined)?.name ?? 'unknown';
  return { workflowId, runId, workflowType: typeName, history: json };
}

/** All runs from the first one forward, following `newExecutionRunId` of continue-as-new. */
async function fetchChain(client: Client, workflowId: string, firstRunId: string): Promise<RunHistoryJson[]> {
  const runs: RunHistoryJson[] = [];
  for (let runId: string | undefined = firstRunId; runId; ) {
    const run = await fetchRun(client, workflowId, runId);
    runs.push(run);
    const last = run.history.events[run.history.events.length - 1];
    runId = last?.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW' ? (attributesOf(last).newExecutionRunId as string) : undefined;
  }
  return runs;
}

function childExecutions(runs: RunHistoryJson[]): Array<{ workflowId: string; runId: string }> {
  return runs.flatMap((r) =>
    r.history.events
      .filter((e) => e.eventType === 'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED')
      .map((e) => attributesOf(e).workflowExecution as { workflowId: string; runId: string }),
  );
}

export async function loadHistories({ client, workflowId }: { client: Client; workflowId: string }): Promise<LoadedHistories> {
  const { runId } = await client.workflow
    .getHandle(workflowId)
    .describe()
    .catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) throw new Error(`${workflowId} was not found on the Temporal server (namespace ${client.options.namespace}); list releases with \`mlgate releases\``);
      throw err;
    });
  const latest = await fetchRun(client, workflowId, runId);
  const firstRunId = attributesOf(latest.history.events[0]).firstExecutionRunId as string | undefined;
  const runs = !firstRunId || firstRunId === runId ? [latest] : await fetchChain(client, workflowId, firstRunId);
  const children: RunHistoryJson[] = [];
  for (let pending = childExecutions(runs); pending.length > 0; ) {
    const next: RunHistoryJson[] = [];
    for (const c of pending) next.push(...(await fetchChain(client, c.workflowId, c.runId)));
    children.push(...next);
    pending = childExecutions(next);
  }
  return { runs, children };
}
