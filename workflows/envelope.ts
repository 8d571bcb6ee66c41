/**
 * The check of `executeRequest`'s argument, the envelope. Deterministic: imports only
 * `@temporalio/workflow`, types and the import-free constants module.
 */
import { ApplicationFailure, log, patched, workflowInfo } from '@temporalio/workflow';
import type { Envelope } from '../src/dispatch/envelope.js';
import { ENVELOPE_VERSION, ENVELOPE_VERSIONS_PATCH } from './constants.js';
import { envelopeProblems } from './envelope-rules.js';

/**
 * Checks the workflow's argument. The envelope may come from another tool (e.g. `temporal schedule
 * create`): it is checked as unknown, so a malformed one fails the job at once instead of failing
 * workflow tasks forever. A newer envelope version than this code knows fails only the workflow
 * task: Temporal retries it, and a newer worker on the queue runs the job.
 */
export function checkEnvelope(envelope: Envelope): void {
  const problems = envelopeProblems(envelope, (v, request, out) => checkVersion(v, request, out));
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
