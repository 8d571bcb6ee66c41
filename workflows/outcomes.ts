/**
 * How a notification job turns its handlers' settled activities into outcomes. Shared by the
 * workflow and the in-memory backend; imports only `@temporalio/common` (safe in the sandbox).
 */
import { ActivityFailure, ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { PublishResult } from '../src/dispatch/envelope.js';
import type { HandlerOutcome } from '../src/core/errors.js';

/** A handler's cancellation (the job was cancelled): the job must end cancelled, not failed. */
export function findCancellation(settled: PromiseSettledResult<unknown>[]): Error | undefined {
  for (const s of settled) {
    if (s.status !== 'rejected') continue;
    const reason: unknown = s.reason;
    if (reason instanceof CancelledFailure) return reason;
    if (reason instanceof ActivityFailure && reason.cause instanceof CancelledFailure) return reason;
  }
  return undefined;
}

/** Maps settled handler activities to outcomes; throws the job's `AggregateHandlerError` failure if any failed. */
export function publishOutcome(names: string[], settled: PromiseSettledResult<unknown>[]): PublishResult {
  const outcomes: HandlerOutcome[] = settled.map((s, i) => {
    const handler = names[i] as string;
    if (s.status === 'fulfilled') return { handler, status: 'fulfilled' };
    const cause: unknown = s.reason instanceof ActivityFailure ? s.reason.cause : s.reason;
    const type =
      cause instanceof ApplicationFailure
        ? (cause.type ?? 'Error')
        : cause instanceof Error
          ? cause.name
          : 'Error';
    return {
      handler,
      status: 'rejected',
      error: { message: cause instanceof Error ? cause.message : String(cause), type },
    };
  });
  const failed = outcomes.filter((o) => o.status === 'rejected');
  if (failed.length) {
    throw ApplicationFailure.create({
      type: 'AggregateHandlerError',
      nonRetryable: true,
      message: `${failed.length} of ${outcomes.length} handler(s) failed: ${failed.map((f) => f.handler).join(', ')}`,
      details: [{ outcomes }],
    });
  }
  return { outcomes: outcomes as PublishResult['outcomes'] };
}
