/**
 * Per-call scheduling on a shared task queue: Temporal's priority key and fairness. Checked here
 * once for every backend and lane, and turned into the `priority` Temporal takes on a start.
 */
import { InvalidOptionError } from '../core/errors.js';

/** Priority and fairness of one job (part of `EnqueueOptions`). */
export interface PriorityOptions {
  /** Temporal priority key, 1 (highest) to 5 (lowest). @default the server's default (3) */
  priority?: number;
  /**
   * Fairness key (Temporal task-queue fairness; needs a server with fairness enabled, e.g.
   * `matching.enableFairness`): jobs on one queue are dispatched round-robin across keys, in
   * proportion to their weights, so one key's backlog (a tenant flooding the queue) cannot starve
   * the others. Within a priority level; at most 64 bytes. Servers without fairness ignore it. The
   * job's activities inherit it.
   * @default none (the job shares the queue's unkeyed lane)
   */
  fairnessKey?: string;
  /**
   * The fairness key's weight: a key of weight 2 is dispatched twice as often as one of weight 1.
   * From 0.001 to 1000. (`mediator.queue(name).setFairnessWeights()` overrides it per key on the server.)
   * @default 1
   */
  fairnessWeight?: number;
}

/** What Temporal's start takes as `priority`. */
export interface TemporalPriority {
  priorityKey?: number;
  fairnessKey?: string;
  fairnessWeight?: number;
}

/** Checks priority and fairness options; `undefined` when none is set. */
export function jobPriority(options: PriorityOptions, request: string): TemporalPriority | undefined {
  const { priority, fairnessKey, fairnessWeight } = options;
  if (priority !== undefined && !(Number.isInteger(priority) && priority >= 1 && priority <= 5)) {
    throw new InvalidOptionError('priority', 'must be an integer from 1 (highest) to 5 (lowest)', {
      request,
    });
  }
  if (
    fairnessKey !== undefined &&
    (typeof fairnessKey !== 'string' || !fairnessKey || Buffer.byteLength(fairnessKey) > 64)
  ) {
    throw new InvalidOptionError('fairnessKey', 'must be a non-empty string of at most 64 bytes', {
      request,
    });
  }
  if (
    fairnessWeight !== undefined &&
    !(typeof fairnessWeight === 'number' && fairnessWeight >= 0.001 && fairnessWeight <= 1000)
  ) {
    throw new InvalidOptionError('fairnessWeight', 'must be a number from 0.001 to 1000', { request });
  }
  if (priority === undefined && fairnessKey === undefined && fairnessWeight === undefined) return undefined;
  return {
    ...(priority === undefined ? {} : { priorityKey: priority }),
    ...(fairnessKey === undefined ? {} : { fairnessKey }),
    ...(fairnessWeight === undefined ? {} : { fairnessWeight }),
  };
}
