/**
 * Options of recurring jobs, their defaults, and the translation of one recurring job into the
 * Temporal Schedule that runs it: the same `executeRequest` workflow and envelope as `enqueue`.
 * Pure apart from input validation; no server calls here.
 */
import type { ScheduleOptionsStartWorkflowAction, ScheduleSpec } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { AnyDefinition, BackgroundOptions } from '../contracts/definitions.js';
import { validateCron, validateTimezone } from './cron.js';
import { buildEnvelope, checkPayload } from '../dispatch/plan.js';
import { assertScheduleLane } from '../dispatch/lane.js';
import type { Duration } from '../core/durations.js';
import { optionalMs, toMs } from '../core/durations.js';
import { InvalidOptionError } from '../core/errors.js';
import { parseInput } from '../contracts/execute.js';
import { MEDIATOR_REQUEST } from '../jobs/handle.js';
import type { ResolvedMediatorOptions } from '../dispatch/options.js';
import type { Metadata } from '../contracts/pipeline.js';
import { EXECUTE_REQUEST_WORKFLOW } from '../../workflows/constants.js';
import type { RecurringMark } from './mark.js';
import { RECURRING_MEMO_KEY, UNOWNED, stableHash } from './mark.js';

export type { RecurringMark } from './mark.js';
export { RECURRING_MEMO_KEY, UNOWNED, readMark, stableHash } from './mark.js';

/**
 * What happens when a run is due while the previous one still runs (Temporal's
 * `ScheduleOverlapPolicy`): skip it, buffer one or all, cancel or terminate the running one, or
 * allow both.
 */
export type RecurringOverlap =
  'SKIP' | 'BUFFER_ONE' | 'BUFFER_ALL' | 'CANCEL_OTHER' | 'TERMINATE_OTHER' | 'ALLOW_ALL';

const OVERLAPS: readonly RecurringOverlap[] = [
  'SKIP',
  'BUFFER_ONE',
  'BUFFER_ALL',
  'CANCEL_OTHER',
  'TERMINATE_OTHER',
  'ALLOW_ALL',
];

/** When a recurring job runs: a cron string or a fixed interval, exactly one (a compile error otherwise). */
export type RecurringWhen =
  | {
      /**
       * Cron string in the schedule's `timezone`: 5 fields (`minute hour day-of-month month
       * day-of-week`), or Temporal's 6/7-field forms, or `@daily`, `@hourly`, `@every 30m`… Checked
       * at the caller.
       */
      cron: string;
      every?: never;
    }
  | {
      /** Run at this fixed interval (at least 1s), aligned to the Unix epoch. */
      every: Duration;
      cron?: never;
    };

/**
 * Options of `addOrUpdate`: when the job runs (exactly one of `cron` or `every`), how the schedule
 * behaves, and the background options each run gets (over the request's own defaults).
 */
export type RecurringOptions = RecurringWhen & RecurringSettings;

/** Everything of {@link RecurringOptions} but when it runs. */
export interface RecurringSettings extends BackgroundOptions {
  /** IANA time zone `cron` is read in. @default 'UTC' */
  timezone?: string;
  /** What to do when a run is due while the previous one still runs. @default 'SKIP' */
  overlap?: RecurringOverlap;
  /** Delay each run by a random amount up to this, to spread load. @default 0 */
  jitter?: Duration;
  /** No runs before this time. @default no limit */
  startAt?: Date;
  /** No runs after this time. @default no limit */
  endAt?: Date;
  /** Pause the schedule when a run fails (after its retries) or times out. @default false */
  pauseOnFailure?: boolean;
  /** Metadata added to every run's envelope (handlers read `ctx.metadata`). @default {} */
  metadata?: Metadata;
  /**
   * Owner id written in the schedule's ownership memo. `syncRecurring` with the same owner may
   * update and remove the schedule; other owners never touch it. Without one, the schedule belongs
   * to no sync: only `addOrUpdate` (without an owner) updates it and only `remove()` removes it.
   * @default none (kept as the reserved owner `'temporal-mediator'`, which no sync may use)
   */
  owner?: string;
}

/** The options with the sync's owner written in (keeps `cron` | `every` as given). */
export function withOwner<T extends RecurringWhen>(options: T, owner: string): T & { owner: string } {
  return { ...options, owner };
}

/** The one place recurring defaults live. */
export function defaultRecurringOptions(options: RecurringSettings = {}) {
  return {
    timezone: options.timezone ?? 'UTC',
    overlap: options.overlap ?? 'SKIP',
    jitter: options.jitter ?? 0,
    pauseOnFailure: options.pauseOnFailure ?? false,
    metadata: { ...options.metadata },
    owner: options.owner ?? RECURRING_MEMO_KEY,
  } satisfies Partial<RecurringSettings>;
}

/** A recurring job translated to what the Schedules API takes. */
export interface DesiredSchedule {
  id: string;
  request: string;
  owner: string;
  mark: RecurringMark;
  spec: ScheduleSpec;
  action: ScheduleOptionsStartWorkflowAction<Workflow>;
  policies: { overlap: RecurringOverlap; pauseOnFailure: boolean };
}

/** Everything {@link planSchedule} needs. */
export interface SchedulePlan {
  id: string;
  definition: AnyDefinition;
  input: unknown;
  options: RecurringOptions;
  resolved: ResolvedMediatorOptions;
}

/**
 * Validates a recurring job (id, options, input against the request's schema, payload size) and
 * builds its schedule. The run's workflow id is `${request}-${scheduleId}`; Temporal appends the
 * scheduled time (`Cleanup-daily-cleanup-2030-01-01T02:00:00Z`), so job ids start with the request
 * name like every other job.
 */
export async function planSchedule(plan: SchedulePlan): Promise<DesiredSchedule> {
  const { id, definition: def, options, resolved } = plan;
  const request = def?.name;
  assertScheduleId(id, request);
  const defaults = defaultRecurringOptions(options);
  if (typeof defaults.owner !== 'string' || defaults.owner.trim() === '') {
    throw new InvalidOptionError('owner', 'must be a non-empty string', { request });
  }
  if (options.owner === UNOWNED) {
    throw new InvalidOptionError(
      'owner',
      `'${UNOWNED}' is reserved for schedules without an owner; omit owner, or name your service`,
      { request },
    );
  }
  const spec = buildSpec(options, request);
  if (!OVERLAPS.includes(defaults.overlap)) {
    throw new InvalidOptionError(
      'overlap',
      `unsupported policy ${JSON.stringify(defaults.overlap)}; supported: ${OVERLAPS.join(', ')}`,
      { request },
    );
  }
  // Schedules start workflows: a standalone lane runs here only as a fallback to the workflow lane.
  assertScheduleLane(def, options, resolved.defaults);
  const input = resolved.validateInput ? await parseInput(def, plan.input, { side: 'caller' }) : plan.input;
  const { envelope, queue, description } = buildEnvelope(
    { mode: 'schedule', definition: def, input, metadata: defaults.metadata, options },
    resolved,
  );
  checkPayload(envelope, resolved.maxPayloadBytes);
  const jobTimeout = optionalMs(
    options.jobTimeout ?? def.jobTimeout ?? resolved.defaults.jobTimeout,
    'jobTimeout',
    def.name,
  );
  const action = {
    type: 'startWorkflow' as const,
    workflowType: EXECUTE_REQUEST_WORKFLOW,
    workflowId: `${def.name}-${id}`,
    taskQueue: queue,
    args: [envelope],
    staticSummary: description,
    workflowExecutionTimeout: jobTimeout,
    typedSearchAttributes: resolved.searchAttributes
      ? [{ key: MEDIATOR_REQUEST, value: def.name }]
      : undefined,
  };
  const policies = { overlap: defaults.overlap, pauseOnFailure: defaults.pauseOnFailure === true };
  const hash = stableHash({
    spec,
    action: { ...action, typedSearchAttributes: resolved.searchAttributes },
    policies,
  });
  const mark: RecurringMark = { owner: defaults.owner, request: def.name, hash };
  if (options.cron !== undefined) mark.cron = options.cron;
  if (options.every !== undefined) mark.every = options.every;
  return {
    id,
    request: def.name,
    owner: defaults.owner,
    mark,
    spec,
    action: { ...action, memo: { [RECURRING_MEMO_KEY]: mark } },
    policies,
  };
}

/** Throws unless `id` is a usable schedule id. */
export function assertScheduleId(id: unknown, request?: string): asserts id is string {
  if (typeof id !== 'string' || id.trim() === '' || id.trim() !== id) {
    throw new InvalidOptionError(
      'id',
      'the recurring job id must be a non-empty string without surrounding spaces',
      {
        request,
      },
    );
  }
}

/** Builds and checks the schedule spec: `cron` or `every`, time zone, jitter and the time window. */
export function buildSpec(options: RecurringOptions, request?: string): ScheduleSpec {
  const { cron, every } = options;
  if (cron !== undefined && every !== undefined) {
    throw new InvalidOptionError('cron', "give either 'cron' or 'every', not both", { request });
  }
  if (cron === undefined && every === undefined) {
    throw new InvalidOptionError('cron', "a recurring job needs { cron: '0 2 * * *' } or { every: '1h' }", {
      request,
    });
  }
  let timezone = options.timezone === undefined ? 'UTC' : validateTimezone(options.timezone, request);
  const spec: ScheduleSpec = {};
  if (cron !== undefined) {
    const checked = validateCron(cron, request);
    if (checked.timezone !== undefined) {
      if (options.timezone !== undefined && options.timezone !== checked.timezone) {
        throw new InvalidOptionError(
          'timezone',
          `${JSON.stringify(options.timezone)} conflicts with the cron string's TZ=${checked.timezone}; give one of them`,
          { request },
        );
      }
      timezone = checked.timezone;
    }
    spec.cronExpressions = [checked.expression];
  } else {
    const ms = toMs(every, 'every', request);
    if (ms < 1_000) {
      throw new InvalidOptionError(
        'every',
        `${JSON.stringify(every)} is under 1s, Temporal's smallest interval`,
        {
          request,
        },
      );
    }
    spec.intervals = [{ every: ms }];
  }
  spec.timezone = timezone;
  const jitter = optionalMs(options.jitter, 'jitter', request);
  if (jitter) spec.jitter = jitter;
  const startAt = optionalDate(options.startAt, 'startAt', request);
  const endAt = optionalDate(options.endAt, 'endAt', request);
  if (startAt && endAt && endAt.getTime() < startAt.getTime()) {
    throw new InvalidOptionError('endAt', 'is before startAt', { request });
  }
  if (startAt) spec.startAt = startAt;
  if (endAt) spec.endAt = endAt;
  return spec;
}

function optionalDate(value: unknown, option: string, request?: string): Date | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidOptionError(option, 'must be a valid Date', { request });
  }
  return value;
}
