/**
 * The one generic workflow: every background request runs as `executeRequest(envelope)`, which calls
 * the request's handler as an activity whose type is the request name. Deterministic: it imports only
 * `@temporalio/workflow`, types, and the import-free constants module.
 *
 * A user's own worker hosts the mediator by re-exporting it from its workflows module:
 * `export { executeRequest } from 'temporal-mediator/workflows';`
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  defineQuery,
  defineSignal,
  log,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { ConsoleBatch, ConsoleLine, Progress } from '../src/observability/console.js';
import type { ActivityExtras, Envelope, PublishResult } from '../src/dispatch/envelope.js';
import {
  CONSOLE_MAX_LINES,
  CONSOLE_MAX_MESSAGE,
  CONSOLE_SIGNAL,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  CONTRACT_AHEAD_MAX_WAIT_MS,
  CONTRACT_AHEAD_TYPE,
  DEFAULT_RETRY,
  HANDLER_SEPARATOR,
  LIST_HANDLERS_ACTIVITY,
  LOGS_QUERY,
  NON_RETRYABLE_TYPES,
  PROGRESS_QUERY,
} from './constants.js';
import { checkEnvelope } from './envelope.js';
import { findCancellation, publishOutcome } from './outcomes.js';

export { EXECUTE_REQUEST_WORKFLOW, MEDIATOR_REQUEST_SEARCH_ATTRIBUTE } from './constants.js';

type HandlerActivity = (input: unknown, extras: ActivityExtras) => Promise<unknown>;

/** Handlers ship console lines and progress to their job with this signal. */
export const consoleSignal = defineSignal<[ConsoleBatch]>(CONSOLE_SIGNAL);
/** A job's console lines (kept: the last {@link CONSOLE_MAX_LINES}). */
export const logsQuery = defineQuery<{ lines: ConsoleLine[]; dropped: number }>(LOGS_QUERY);
/** A job's latest progress. */
export const progressQuery = defineQuery<Progress | null>(PROGRESS_QUERY);

/** Runs one background request: its handler (command, query) or every handler (notification). */
export async function executeRequest(envelope: Envelope): Promise<unknown> {
  checkEnvelope(envelope);
  installConsole(envelope);
  const options = activityOptions(envelope);
  const extras: ActivityExtras = { metadata: envelope.metadata ?? {}, description: envelope.description };
  if (envelope.version !== undefined) extras.version = envelope.version;
  if (envelope.kind === 'notification') return publish(envelope, options, extras);
  const local = envelope.activity?.local === true;
  const activities = local
    ? proxyLocalActivities<Record<string, HandlerActivity>>(localOptions(options))
    : proxyActivities<Record<string, HandlerActivity>>(options);
  const run = activities[envelope.request] as HandlerActivity;
  return untilContractKnown(() => run(envelope.input, extras), envelope, local);
}

/**
 * A worker whose contract is older than the payload's reports `ContractVersionAhead` without running
 * the handler. The job then waits for a worker that knows the version: the activity is scheduled
 * again after a growing pause (1 s doubling to 5 min), each time with its full retry budget. In the
 * fast lane the attempt ran inside this workflow task, so the task fails instead (nothing is
 * recorded) and Temporal retries it, on another worker once one polls.
 */
async function untilContractKnown<T>(call: () => Promise<T>, envelope: Envelope, local: boolean): Promise<T> {
  for (let waitMs = 1_000; ; waitMs = Math.min(waitMs * 2, CONTRACT_AHEAD_MAX_WAIT_MS)) {
    try {
      return await call();
    } catch (err) {
      // A local activity's failure reaches the workflow unwrapped, a remote one's as the cause.
      const failure = err instanceof ActivityFailure ? err.cause : err;
      if (!(failure instanceof ApplicationFailure) || failure.type !== CONTRACT_AHEAD_TYPE) throw err;
      const message = `${failure.message}; waiting for a worker that knows contract version ${envelope.version ?? 1}`;
      if (local) {
        log.warn(`${message}: failing the workflow task`);
        throw new Error(message);
      }
      log.warn(`${message}: next try in ${waitMs / 1000}s`);
      await sleep(waitMs);
    }
  }
}

/** The job console: a bounded buffer of lines, shown in the Web UI as the workflow's current details. */
function installConsole(envelope: Envelope): void {
  const lines: ConsoleLine[] = [];
  let dropped = 0;
  let progress: Progress | null = null;
  setHandler(logsQuery, () => ({ lines, dropped }));
  setHandler(progressQuery, () => progress);
  setHandler(consoleSignal, (batch) => {
    for (const line of batch.lines ?? []) {
      lines.push(
        line.message.length > CONSOLE_MAX_MESSAGE
          ? { ...line, message: `${line.message.slice(0, CONSOLE_MAX_MESSAGE)}…` }
          : line,
      );
    }
    const excess = lines.length - CONSOLE_MAX_LINES;
    if (excess > 0) lines.splice(0, excess);
    dropped += Math.max(0, excess) + (batch.dropped ?? 0);
    if (batch.progress) progress = batch.progress;
    setCurrentDetails(renderDetails(envelope, lines, progress, dropped));
  });
}

function renderDetails(
  envelope: Envelope,
  lines: ConsoleLine[],
  progress: Progress | null,
  dropped: number,
): string {
  const out = [
    `**${envelope.request}**${envelope.description && envelope.description !== envelope.request ? ` — ${envelope.description}` : ''}`,
  ];
  if (progress) {
    const counts = progress.total !== undefined ? ` (${progress.done ?? 0}/${progress.total})` : '';
    out.push(
      '',
      `**Progress:** ${Math.round(progress.fraction * 100)}%${counts}${progress.message ? ` — ${progress.message}` : ''}`,
    );
  }
  const shown = lines.slice(-50);
  out.push(
    '',
    `**Console** (${lines.length} line(s)${dropped ? `, ${dropped} dropped` : ''}${shown.length < lines.length ? `, last ${shown.length} shown` : ''})`,
    '```',
  );
  for (const l of shown) {
    const attrs = l.attributes && Object.keys(l.attributes).length ? ` ${JSON.stringify(l.attributes)}` : '';
    out.push(
      `${l.t.slice(11, 23)} ${l.level.toUpperCase().padEnd(5)} ${l.handler ? `[${l.handler}] ` : ''}${l.message}${attrs}`,
    );
  }
  // A trailing non-breaking-space paragraph: the Web UI sizes the details frame without the code
  // block's bottom margin, which would hide the last console line.
  out.push('```', '', '\u00a0');
  return out.join('\n');
}

/** Fast lane: the handler runs as a local activity, in the worker that runs the workflow task. */
function localOptions(options: ActivityOptions): LocalActivityOptions {
  return { startToCloseTimeout: options.startToCloseTimeout, retry: options.retry, summary: options.summary };
}

function activityOptions(envelope: Envelope): ActivityOptions {
  const a = envelope.activity ?? {};
  const r = a.retry ?? {};
  return {
    taskQueue: a.queue,
    startToCloseTimeout: a.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
    heartbeatTimeout: a.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
    // The job reports cancelled only once the handler has seen its abort signal and stopped.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    summary: envelope.description,
    retry: {
      maximumAttempts: r.maximumAttempts ?? DEFAULT_RETRY.maximumAttempts,
      initialInterval: r.initialIntervalMs ?? DEFAULT_RETRY.initialIntervalMs,
      backoffCoefficient: r.backoffCoefficient ?? DEFAULT_RETRY.backoffCoefficient,
      maximumInterval: r.maximumIntervalMs,
      nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES, ...(r.nonRetryableErrorTypes ?? [])],
    },
  };
}

async function publish(
  envelope: Envelope,
  options: ActivityOptions,
  extras: ActivityExtras,
): Promise<PublishResult> {
  const { [LIST_HANDLERS_ACTIVITY]: listHandlers } = proxyLocalActivities<
    Record<string, (request: string) => Promise<string[]>>
  >({
    startToCloseTimeout: '10s',
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES] },
  });
  const names = await (listHandlers as (request: string) => Promise<string[]>)(envelope.request);
  const activities = proxyActivities<Record<string, HandlerActivity>>(options);
  const settled = await Promise.allSettled(
    names.map((name) => {
      const run = activities[`${envelope.request}${HANDLER_SEPARATOR}${name}`] as HandlerActivity;
      return untilContractKnown(() => run(envelope.input, extras), envelope, false);
    }),
  );
  const cancelled = findCancellation(settled);
  if (cancelled) throw cancelled;
  return publishOutcome(names, settled);
}
