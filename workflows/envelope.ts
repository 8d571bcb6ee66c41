/**
 * The check of `executeRequest`'s argument, the envelope. Deterministic: imports only
 * `@temporalio/workflow`, types and the import-free constants module.
 */
import { ApplicationFailure, log, patched, workflowInfo } from '@temporalio/workflow';
import type { Envelope } from '../src/envelope.js';
import { ENVELOPE_VERSION, ENVELOPE_VERSIONS_PATCH } from './constants.js';

/**
 * Checks the workflow's argument. The envelope may come from another tool (e.g. `temporal schedule
 * create`): it is checked as unknown, so a malformed one fails the job at once instead of failing
 * workflow tasks forever. A newer envelope version than this code knows fails only the workflow
 * task: Temporal retries it, and a newer worker on the queue runs the job.
 */
export function checkEnvelope(envelope: Envelope): void {
  const raw: unknown = envelope;
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null) problems.push('the envelope must be an object');
  else {
    const { v, request, kind, description, metadata, activity, version } = raw as Record<string, unknown>;
    checkVersion(v, request, problems);
    if (typeof request !== 'string' || request === '') problems.push("'request' must be a non-empty string");
    if (typeof kind !== 'string' || !['command', 'query', 'notification'].includes(kind)) {
      problems.push("'kind' must be 'command', 'query' or 'notification'");
    }
    if (description !== undefined && typeof description !== 'string')
      problems.push("'description' must be a string");
    if (metadata !== undefined && !isStringRecord(metadata))
      problems.push("'metadata' must be an object of strings");
    if (version !== undefined && !(Number.isInteger(version) && (version as number) >= 1))
      problems.push("'version' (the contract version) must be an integer >= 1");
    if (activity !== undefined) checkActivity(activity, problems);
  }
  if (problems.length) {
    throw ApplicationFailure.create({
      type: 'EnvelopeError',
      nonRetryable: true,
      message: `Invalid envelope: ${problems.join('; ')}`,
    });
  }
}

function checkVersion(v: unknown, request: unknown, problems: string[]): void {
  if (v === 1) return;
  const integer = typeof v === 'number' && Number.isInteger(v) && v > 1;
  // Histories recorded before the patch failed the job for any version but 1: they replay so.
  if (!integer || !patched(ENVELOPE_VERSIONS_PATCH)) {
    problems.push(
      integer
        ? `unsupported envelope version ${JSON.stringify(v)} (expected 1)`
        : `unsupported envelope version ${JSON.stringify(v)} (expected an integer from 1 to ${ENVELOPE_VERSION})`,
    );
    return;
  }
  if (v <= ENVELOPE_VERSION) return;
  const message = `Envelope version ${v} of job '${workflowInfo().workflowId}' (${String(request)}) is newer than this worker's (${ENVELOPE_VERSION}): failing the workflow task so that Temporal retries it until a newer worker takes it`;
  log.warn(message, { envelopeVersion: v, workerEnvelopeVersion: ENVELOPE_VERSION });
  // A plain Error, not an ApplicationFailure: it fails the workflow task, never the job.
  throw new Error(message);
}

function isStringRecord(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((x) => typeof x === 'string')
  );
}

function checkActivity(activity: unknown, problems: string[]): void {
  if (typeof activity !== 'object' || activity === null || Array.isArray(activity)) {
    problems.push("'activity' must be an object");
    return;
  }
  const a = activity as Record<string, unknown>;
  const positive = (value: unknown, name: string) => {
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      problems.push(`'activity.${name}' must be a positive number of milliseconds`);
    }
  };
  if (a.queue !== undefined && (typeof a.queue !== 'string' || a.queue === ''))
    problems.push("'activity.queue' must be a non-empty string");
  if (a.local !== undefined && typeof a.local !== 'boolean')
    problems.push("'activity.local' must be a boolean");
  positive(a.timeoutMs, 'timeoutMs');
  positive(a.heartbeatTimeoutMs, 'heartbeatTimeoutMs');
  if (a.retry === undefined) return;
  if (typeof a.retry !== 'object' || a.retry === null) {
    problems.push("'activity.retry' must be an object");
    return;
  }
  const r = a.retry as Record<string, unknown>;
  if (
    r.maximumAttempts !== undefined &&
    !(Number.isInteger(r.maximumAttempts) && (r.maximumAttempts as number) >= 0)
  ) {
    problems.push("'activity.retry.maximumAttempts' must be an integer >= 0");
  }
  if (
    r.backoffCoefficient !== undefined &&
    !(typeof r.backoffCoefficient === 'number' && r.backoffCoefficient >= 1)
  ) {
    problems.push("'activity.retry.backoffCoefficient' must be a number >= 1");
  }
  positive(r.initialIntervalMs, 'retry.initialIntervalMs');
  positive(r.maximumIntervalMs, 'retry.maximumIntervalMs');
  if (
    r.nonRetryableErrorTypes !== undefined &&
    !(Array.isArray(r.nonRetryableErrorTypes) && r.nonRetryableErrorTypes.every((t) => typeof t === 'string'))
  ) {
    problems.push("'activity.retry.nonRetryableErrorTypes' must be an array of strings");
  }
}
