/**
 * Which lane a job runs on, and the error when that lane cannot run it. The lane comes from the call,
 * then the request, then the mediator's defaults; the deprecated `fastLane` flag counts as a lane at
 * its own level (`lane` wins over it).
 */
import type { AnyDefinition, BackgroundOptions, Lane, LaneFallback } from '../contracts/definitions.js';
import { MediatorError } from '../core/errors.js';

/** Why a lane cannot run a job. */
export type LaneUnsupportedReason = 'server' | 'sdk' | 'kind' | 'recurring';

/**
 * The job's lane cannot run it: a notification or a recurring job on `lane: 'standalone'`, or a
 * server or SDK without standalone activities. Nothing was started. `laneFallback: 'workflow'` runs
 * such jobs on the workflow lane instead.
 */
export class LaneUnsupportedError extends MediatorError {
  override readonly name = 'LaneUnsupportedError';
  /** The lane asked for. */
  readonly lane: Lane;
  /** What is missing: the server, the SDK, or the lane cannot run this kind of job. */
  readonly reason: LaneUnsupportedReason;
  /** What would make it work, in words (the server version and dynamic config, the SDK version, …). */
  readonly needed: string;
  constructor(
    request: string,
    details: { lane: Lane; reason: LaneUnsupportedReason; needed: string; cause?: unknown },
  ) {
    super(
      'LANE_UNSUPPORTED',
      `${request}: lane '${details.lane}' is unsupported here: ${details.needed}; or pass laneFallback: 'workflow' to run it on the workflow lane`,
      { request, cause: details.cause },
    );
    this.lane = details.lane;
    this.reason = details.reason;
    this.needed = details.needed;
  }
}

function laneAt(options: Readonly<BackgroundOptions> | undefined): Lane | undefined {
  if (!options) return undefined;
  if (options.lane !== undefined) return options.lane;
  if (options.fastLane === undefined) return undefined;
  return options.fastLane ? 'fast' : 'workflow';
}

/** The lane of a job: call options over the request's over the mediator's defaults. @default 'workflow' */
export function resolveLane(
  definition: AnyDefinition,
  call: BackgroundOptions | undefined,
  defaults: BackgroundOptions | undefined,
): Lane {
  return laneAt(call) ?? laneAt(definition) ?? laneAt(defaults) ?? 'workflow';
}

/** The job's lane fallback, resolved like its lane. @default 'error' */
export function resolveLaneFallback(
  definition: AnyDefinition,
  call: BackgroundOptions | undefined,
  defaults: BackgroundOptions | undefined,
): LaneFallback {
  return call?.laneFallback ?? definition.laneFallback ?? defaults?.laneFallback ?? 'error';
}

/** The first `@temporalio/client` with `client.activity` (Standalone Activities). */
export const STANDALONE_SDK_VERSION = '1.24.0';

/** What an SDK without standalone activities lacks (`LaneUnsupportedError.needed`). */
export const STANDALONE_SDK_NEEDED = `@temporalio/client >= ${STANDALONE_SDK_VERSION} (this one has no client.activity)`;

const NEEDED: Record<Exclude<LaneUnsupportedReason, 'server'>, string> = {
  sdk: STANDALONE_SDK_NEEDED,
  kind: "a command or a query: a notification's fan-out needs the workflow (use lane 'workflow' or 'fast')",
  recurring: "a workflow: Temporal Schedules start workflows only (use lane 'workflow' or 'fast')",
};

/**
 * Refuses a lane that cannot run a job (`LaneUnsupportedError`), or returns `true` when the job is to
 * run on the workflow lane instead (`laneFallback: 'workflow'`).
 */
export function unsupported(
  definition: AnyDefinition,
  options: BackgroundOptions,
  details: { defaults: BackgroundOptions; reason: LaneUnsupportedReason; needed?: string; cause?: unknown },
): true {
  if (resolveLaneFallback(definition, options, details.defaults) === 'workflow') return true;
  const needed = details.needed ?? NEEDED[details.reason as keyof typeof NEEDED];
  throw new LaneUnsupportedError(definition.name, {
    lane: 'standalone',
    reason: details.reason,
    needed,
    cause: details.cause,
  });
}

/** For recurring jobs: refuses `lane: 'standalone'` unless it falls back to the workflow lane. */
export function assertScheduleLane(
  definition: AnyDefinition,
  options: BackgroundOptions,
  defaults: BackgroundOptions,
): void {
  if (resolveLane(definition, options, defaults) === 'standalone')
    unsupported(definition, options, { defaults, reason: 'recurring' });
}

/**
 * The schedule-to-close budget the standalone lane gives a job whose start delay outlasts its job
 * timeout (Temporal needs a positive one); a worker never runs a handler with this budget.
 */
export const STANDALONE_NO_TIME_LEFT_MS = 1;
