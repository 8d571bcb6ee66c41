import { ENVELOPE_VERSION } from '../../workflows/constants.js';
import { envelopeProblems } from '../../workflows/envelope-rules.js';
import type { RequestKind } from '../contracts/definitions.js';
import type { Metadata } from '../contracts/pipeline.js';

/** Activity options carried by the envelope; durations in milliseconds. */
export interface EnvelopeActivityOptions {
  /** Task queue of the handler activity. @default the job's task queue */
  queue?: string;
  /** Start-to-close timeout of one attempt, ms. @default 300000 (5 minutes) */
  timeoutMs?: number;
  /** Heartbeat timeout, ms: how quickly a dead worker's attempt is retried. @default 10000 */
  heartbeatTimeoutMs?: number;
  /** Fast lane: run the handler as a local activity in the workflow's worker. @default false */
  local?: boolean;
  retry?: {
    /** @default 3 */
    maximumAttempts?: number;
    /** @default 1000 */
    initialIntervalMs?: number;
    /** @default 2 */
    backoffCoefficient?: number;
    maximumIntervalMs?: number;
    nonRetryableErrorTypes?: string[];
  };
}

/**
 * What a background request travels as: the workflow's only argument. Serialisable JSON; a
 * schedule made with the `temporal` CLI may pass one by hand:
 * `{"v":1,"request":"Cleanup","kind":"command","input":{}}`.
 */
export interface Envelope {
  /**
   * Envelope version: 1, or 2 when it carries `version`. A worker runs every envelope version up to
   * its own; a newer one fails only the workflow task (retried until a newer worker takes it).
   */
  v: 1 | 2;
  /** Registered request name: the activity type. */
  request: string;
  kind: RequestKind;
  /** The request's input (validated by the caller, and again by the worker). */
  input: unknown;
  /**
   * The caller's contract version (envelope version 2): the worker upcasts an older input and
   * leaves a newer one for a worker that knows it. @default 1
   */
  version?: number;
  /** Human-readable description (the Web UI summary). */
  description?: string;
  /** Metadata stamped by dispatch behaviors; handlers read it as `ctx.metadata`. */
  metadata?: Metadata;
  /** Activity options; defaults apply to missing fields. */
  activity?: EnvelopeActivityOptions;
}

/**
 * Every problem of an envelope (e.g. one written by hand for `temporal schedule create`) as a worker
 * of this release reads it; `[]` when it runs. The same checker the workflow runs
 * (workflows/envelope-rules.ts), with versions 1 to {@link ENVELOPE_VERSION} accepted.
 */
export function envelopeProblemsOf(raw: unknown): string[] {
  return envelopeProblems(raw, (v, _request, problems) => {
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= ENVELOPE_VERSION)) {
      problems.push(
        `unsupported envelope version ${JSON.stringify(v)} (expected an integer from 1 to ${ENVELOPE_VERSION})`,
      );
    }
  });
}

/** Extra argument the workflow passes to a handler activity besides the input. */
export interface ActivityExtras {
  metadata?: Metadata;
  description?: string;
  /** The payload's contract version. @default 1 */
  version?: number;
}

/** Result of a notification job: each handler's outcome. */
export interface PublishResult {
  outcomes: { handler: string; status: 'fulfilled' }[];
}
