import type { Client } from '@temporalio/client';
import type { temporal as Temporal } from '@temporalio/proto';
import { proto } from '../sdk/proto.js';

/** One worker polling a task queue. */
export interface QueuePoller {
  /** Worker identity (`pid@host` or the `identity` option). */
  identity: string;
  lastAccessTime: Date | undefined;
  /** What it polls for. */
  kind: 'workflow' | 'activity';
}

/** Stats of one task queue: the "worker stats" of a job dashboard. */
export interface QueueStats {
  name: string;
  /** Workers seen polling recently (Temporal keeps about the last minute). */
  pollers: QueuePoller[];
  /** Distinct worker identities among the pollers. */
  workers: string[];
  /** Approximate number of handler runs (activity tasks) waiting for a worker. */
  activityBacklog: number;
  /** Approximate number of workflow tasks waiting for a worker. */
  workflowBacklog: number;
  /** Age of the oldest waiting activity task, ms. */
  activityBacklogAgeMs: number;
}

/** A protobuf Timestamp or Duration as the SDK decodes it (`seconds` is a Long). */
interface Timestamp {
  seconds?: number | { toNumber(): number } | null;
  nanos?: number | null;
}

/** Milliseconds of a protobuf Timestamp/Duration. */
function tsToMs(ts: Timestamp | null | undefined): number | undefined {
  if (!ts) return undefined;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : (ts.seconds?.toNumber() ?? 0);
  return seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

function tsToDate(ts: Timestamp | null | undefined): Date | undefined {
  const ms = tsToMs(ts);
  return ms === undefined ? undefined : new Date(ms);
}

const { temporal } = proto;

async function describe(client: Client, name: string, type: Temporal.api.enums.v1.TaskQueueType) {
  return client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: type,
    reportStats: true,
  });
}

/** Describes task queues: pollers (workers) and backlog, from Temporal's task-queue description. */
export async function describeQueues(client: Client, names: string[]): Promise<QueueStats[]> {
  const { TASK_QUEUE_TYPE_ACTIVITY: ACTIVITY, TASK_QUEUE_TYPE_WORKFLOW: WORKFLOW } =
    temporal.api.enums.v1.TaskQueueType;
  return Promise.all(
    names.map(async (name) => {
      const [activity, workflow] = await Promise.all([
        describe(client, name, ACTIVITY),
        describe(client, name, WORKFLOW),
      ]);
      const pollers: QueuePoller[] = [
        ...(activity.pollers ?? []).map((p) => ({
          identity: p.identity ?? '',
          lastAccessTime: tsToDate(p.lastAccessTime),
          kind: 'activity' as const,
        })),
        ...(workflow.pollers ?? []).map((p) => ({
          identity: p.identity ?? '',
          lastAccessTime: tsToDate(p.lastAccessTime),
          kind: 'workflow' as const,
        })),
      ];
      return {
        name,
        pollers,
        workers: [...new Set(pollers.map((p) => p.identity))].sort(),
        activityBacklog: Number(activity.stats?.approximateBacklogCount ?? 0),
        workflowBacklog: Number(workflow.stats?.approximateBacklogCount ?? 0),
        activityBacklogAgeMs: tsToMs(activity.stats?.approximateBacklogAge) ?? 0,
      };
    }),
  );
}
