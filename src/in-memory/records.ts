import type { RequestKind } from '../contracts/definitions.js';
import type { JobOptions } from '../dispatch/plan.js';
import type { DispatchMode, Metadata } from '../contracts/pipeline.js';

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
  options: JobOptions;
  /** The recurring job that started the run. */
  recurringId?: string;
  /** When it was dispatched, on the mediator's clock. */
  at: Date;
}

export { expectKind } from '../contracts/kinds.js';
