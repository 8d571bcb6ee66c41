/**
 * Server-side limits of one task queue (`mediator.queue(name)`): Temporal's task-queue config
 * (`UpdateTaskQueueConfig`, server >= 1.28; `temporal task-queue config set` on the CLI).
 *
 * Two Temporal mechanisms limit a queue's rate, and this is the one to use: the queue config is
 * set once, from any process, holds for every worker together and survives worker restarts. The
 * worker option `maxTaskQueueActivitiesPerSecond` (`createWorker({ maxTaskQueueActivitiesPerSecond })`)
 * is the older way: each worker sends it with its polls and the last poller's value wins, so
 * workers that disagree flip the limit. The worker's `maxActivitiesPerSecond` is a limit of one
 * worker process only, not of the queue.
 */
import type { Client } from '@temporalio/client';
import { InvalidOptionError, NotConfiguredError } from '../core/errors.js';
import { proto } from '../sdk/proto.js';
import type { QueueStats } from './queues.js';
import { describeQueues } from './queues.js';

/** A queue's limits as the server holds them. */
export interface QueueLimits {
  /** Handler runs (activity tasks) dispatched per second, all workers together; `undefined`: the system default. */
  rateLimit: number | undefined;
  /** Per fairness key, scaled by the key's weight; `undefined`: none. */
  fairnessKeyRateLimit: number | undefined;
  /** Fairness weights set on the server, overriding the jobs' `fairnessWeight`. */
  fairnessWeights: Record<string, number>;
}

/** A handle to one task queue's stats and server-side limits. */
export interface QueueHandle {
  readonly name: string;
  /** Workers polling the queue and its backlog (see `mediator.queues()`). */
  stats(): Promise<QueueStats>;
  /**
   * Limits how many handler runs (activity tasks) the queue dispatches per second, over all its
   * workers; `null` removes the limit. Jobs beyond it wait in the backlog, nothing fails.
   *
   * @example
   * await mediator.queue('emails').setRateLimit(50, { reason: 'provider quota' });
   */
  setRateLimit(perSecond: number | null, options?: { reason?: string }): Promise<QueueLimits>;
  /** Limits each fairness key of the queue to this rate (scaled by its weight); `null` removes it. */
  setFairnessKeyRateLimit(perSecond: number | null, options?: { reason?: string }): Promise<QueueLimits>;
  /** Sets (a number) or clears (`null`) server-side weights of fairness keys. */
  setFairnessWeights(weights: Record<string, number | null>): Promise<QueueLimits>;
  /** The queue's limits. */
  limits(): Promise<QueueLimits>;
}

const { temporal } = proto;
const ACTIVITY = temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY;

interface RateLimitConfig {
  rateLimit?: { requestsPerSecond?: number | null } | null;
}

function toLimits(
  config:
    | {
        queueRateLimit?: RateLimitConfig | null;
        fairnessKeysRateLimitDefault?: RateLimitConfig | null;
        fairnessWeightOverrides?: Record<string, number> | null;
      }
    | null
    | undefined,
): QueueLimits {
  const rate = (c: RateLimitConfig | null | undefined) => c?.rateLimit?.requestsPerSecond ?? undefined;
  return {
    rateLimit: rate(config?.queueRateLimit),
    fairnessKeyRateLimit: rate(config?.fairnessKeysRateLimitDefault),
    fairnessWeights: { ...config?.fairnessWeightOverrides },
  };
}

function rateUpdate(perSecond: number | null, option: string, reason: string | undefined) {
  if (
    perSecond !== null &&
    !(typeof perSecond === 'number' && Number.isFinite(perSecond) && perSecond >= 0)
  ) {
    throw new InvalidOptionError(option, 'must be a number >= 0, or null to remove the limit');
  }
  return { rateLimit: perSecond === null ? null : { requestsPerSecond: perSecond }, reason: reason ?? '' };
}

/** A handle to a task queue's limits. */
export function createQueueHandle(client: Client, name: string): QueueHandle {
  const update = async (change: Record<string, unknown>): Promise<QueueLimits> => {
    const response = await client.workflowService.updateTaskQueueConfig({
      namespace: client.options.namespace,
      identity: client.options.identity,
      taskQueue: name,
      taskQueueType: ACTIVITY,
      ...change,
    });
    return toLimits(response.config);
  };
  return {
    name,
    stats: async () => (await describeQueues(client, [name]))[0]!,
    setRateLimit: async (perSecond, options) =>
      update({ updateQueueRateLimit: rateUpdate(perSecond, 'perSecond', options?.reason) }),
    setFairnessKeyRateLimit: async (perSecond, options) =>
      update({ updateFairnessKeyRateLimitDefault: rateUpdate(perSecond, 'perSecond', options?.reason) }),
    setFairnessWeights: async (weights) => {
      const set: Record<string, number> = {};
      const unset: string[] = [];
      for (const [key, weight] of Object.entries(weights)) {
        if (weight === null) unset.push(key);
        else if (typeof weight === 'number' && weight >= 0.001 && weight <= 1000) set[key] = weight;
        else
          throw new InvalidOptionError('weights', `weight of '${key}' must be from 0.001 to 1000, or null`);
      }
      const limits = await update({ setFairnessWeightOverrides: set, unsetFairnessWeightOverrides: unset });
      // Servers before fairness weight overrides accept the call and keep nothing: say so.
      const ignored = Object.keys(set).filter((key) => limits.fairnessWeights[key] !== set[key]);
      if (ignored.length) {
        throw new NotConfiguredError(
          `task queue '${name}': the server did not keep the fairness weights of ${ignored.join(', ')} (it has no fairness weight overrides; newer Temporal servers with fairness do)`,
        );
      }
      return limits;
    },
    limits: async () => {
      const d = await client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: ACTIVITY,
        reportConfig: true,
      });
      return toLimits(d.config);
    },
  };
}
