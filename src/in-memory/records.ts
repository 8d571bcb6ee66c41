import type { AnyDefinition, RequestKind } from '../contracts.js';
import type { ScheduleOptions } from '../dispatch.js';
import { InvalidOptionError } from '../errors.js';
import type { DispatchMode, Metadata } from '../pipeline.js';

/** How something was dispatched: a mediator call, or a run started by a recurring job. */
export type DispatchRecordMode = DispatchMode | 'recurring';

/** One dispatch an in-memory mediator saw, after dispatch behaviors ran. */
export interface DispatchRecord {
  mode: DispatchRecordMode;
  /** The request name. */
  request: string;
  kind: RequestKind;
  /** The input as validated at the caller and possibly changed by dispatch behaviors. */
  input: unknown;
  /** The metadata the handler sees as `ctx.metadata`. */
  metadata: Metadata;
  /** The job id, for background dispatches and recurring runs. */
  jobId: string | undefined;
  /** The per-call options (after dispatch behaviors); `{}` for `send`/`publish` and recurring runs. */
  options: ScheduleOptions;
  /** The recurring job that started the run. */
  recurringId?: string;
  /** When it was dispatched, on the mediator's clock. */
  at: Date;
}

const ALLOWED: Record<string, AnyDefinition['kind'][]> = {
  send: ['command', 'query'],
  enqueue: ['command', 'query'],
  enqueueAsync: ['command', 'query'],
  publish: ['notification'],
  enqueuePublish: ['notification'],
};

/** The Temporal mediator's kind check, with its message (its own copy is private to `mediator.ts`). */
export function expectKind(definition: AnyDefinition, op: string): void {
  const allowed = ALLOWED[op];
  if (allowed && !allowed.includes(definition.kind)) {
    const hint =
      definition.kind === 'notification'
        ? 'use publish or enqueuePublish'
        : 'use send, enqueue or enqueueAsync';
    throw new InvalidOptionError(
      'definition',
      `'${definition.name}' is a ${definition.kind}; ${op} takes a ${allowed.join(' or ')} (${hint})`,
      { request: definition.name },
    );
  }
}
