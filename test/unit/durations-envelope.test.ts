import { describe, expect, it } from 'vitest';
import { optionalMs, toMs } from '../../src/core/durations.js';
import { InvalidOptionError } from '../../src/index.js';
import { envelopeProblemsOf } from '../../src/dispatch/envelope.js';
import { thrownBy } from './helpers.js';

describe('toMs', () => {
  it.each([
    ['1s', 1_000],
    ['500ms', 500],
    ['5m', 300_000],
    ['24h', 86_400_000],
    ['1.5s', 1_500],
    [250, 250],
    [0, 0],
  ] as const)('toMs(%j) = %d', (value, ms) => {
    expect(toMs(value, 'timeout')).toBe(ms);
  });

  it.each(['30 parsecs', '', 'abc', ' 1s', -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects %j, naming the option and the request',
    (value) => {
      const err = thrownBy(() => toMs(value, 'retry.initialInterval', 'CreateUser'));
      expect(err).toBeInstanceOf(InvalidOptionError);
      const invalid = err as InvalidOptionError;
      expect(invalid.option).toBe('retry.initialInterval');
      expect(invalid.request).toBe('CreateUser');
      expect(invalid.message).toContain("CreateUser: invalid option 'retry.initialInterval'");
      expect(invalid.message).toContain('is not a valid duration');
    },
  );

  it('optionalMs passes undefined through', () => {
    expect(optionalMs(undefined, 'timeout')).toBeUndefined();
    expect(optionalMs('2s', 'timeout')).toBe(2_000);
  });
});

describe('envelope check (the one the workflow runs)', () => {
  it('accepts a minimal envelope written by hand (e.g. for the temporal CLI)', () => {
    expect(envelopeProblemsOf({ v: 1, request: 'X', kind: 'command', input: {} })).toEqual([]);
  });

  it('accepts a full envelope', () => {
    const full = {
      v: 1,
      request: 'CreateUser',
      kind: 'notification',
      input: { a: 1 },
      description: 'd',
      metadata: { tenant: 't' },
      activity: {
        queue: 'critical',
        timeoutMs: 1_000,
        heartbeatTimeoutMs: 500,
        local: true,
        retry: {
          maximumAttempts: 0,
          initialIntervalMs: 10,
          backoffCoefficient: 1,
          nonRetryableErrorTypes: ['X'],
        },
      },
    };
    expect(envelopeProblemsOf(full)).toEqual([]);
  });

  it.each([
    [
      'v: 3 (newer than this release)',
      { v: 3, request: 'X', kind: 'command', input: {} },
      'envelope version 3',
    ],
    ['empty request', { v: 1, request: '', kind: 'command', input: {} }, "'request' must be"],
    ['unknown kind', { v: 1, request: 'X', kind: 'event', input: {} }, "'kind' must be"],
    [
      'non-string metadata',
      { v: 1, request: 'X', kind: 'query', input: 1, metadata: { n: 1 } },
      "'metadata' must be",
    ],
    [
      'negative timeout',
      { v: 1, request: 'X', kind: 'command', input: {}, activity: { timeoutMs: -1 } },
      "'activity.timeoutMs' must be",
    ],
    [
      'backoff below 1',
      { v: 1, request: 'X', kind: 'command', input: {}, activity: { retry: { backoffCoefficient: 0.5 } } },
      "'activity.retry.backoffCoefficient' must be",
    ],
  ] as const)('rejects %s, naming the field', (_label, envelope, problem) => {
    const problems = envelopeProblemsOf(envelope);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it('the caller and the workflow agree: a fractional timeout is fine for both (one checker)', () => {
    const envelope = { v: 1, request: 'X', kind: 'command', input: {}, activity: { timeoutMs: 1.5 } };
    expect(envelopeProblemsOf(envelope)).toEqual([]);
  });
});
