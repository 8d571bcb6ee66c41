/**
 * The one envelope checker, shared by the caller (src/dispatch/envelope.ts) and the workflow
 * (workflows/envelope.ts). Pure and import-free, so the deterministic workflow sandbox can run it;
 * each side brings its own rule for the envelope version `v` (the workflow's depends on `patched()`).
 */

/** Adds the problem with `v` (the envelope version) to `problems`, if any. */
export type EnvelopeVersionRule = (v: unknown, request: unknown, problems: string[]) => void;

/** Every problem of an envelope read as unknown, in the order they are found; `[]` when it is valid. */
export function envelopeProblems(raw: unknown, checkVersion: EnvelopeVersionRule): string[] {
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null) {
    problems.push('the envelope must be an object');
    return problems;
  }
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
  return problems;
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
