import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInMemoryMediator, defineCommand } from '../../src/index.js';
import { matchesFilter, quote, toVisibilityQuery } from '../../src/jobs/filter.js';
import { parseRetryId } from '../../src/jobs/retry.js';

const SendEmail = defineCommand({ name: 'SendEmail', input: z.object({}), output: z.object({}) });
const now = new Date('2026-12-01T10:00:00.000Z');

describe('job filters as visibility queries', () => {
  it('request and status become MediatorRequest and ExecutionStatus clauses, limited to mediator jobs', () => {
    expect(toVisibilityQuery({ request: SendEmail, status: 'failed' }, now)).toBe(
      "WorkflowType = 'executeRequest' AND MediatorRequest = 'SendEmail' AND (ExecutionStatus = 'Failed')",
    );
    expect(toVisibilityQuery({}, now)).toBe("WorkflowType = 'executeRequest'");
  });

  it('several requests and statuses; scheduled and running split on ExecutionTime; queue, times and a raw query', () => {
    const q = toVisibilityQuery(
      {
        request: [SendEmail, 'Other'],
        status: ['scheduled', 'running', 'cancelled', 'timed_out'],
        queue: 'emails',
        startedAfter: new Date('2026-12-01T09:00:00.000Z'),
        closedBefore: now,
        query: "WorkflowId STARTS_WITH 'x'",
      },
      now,
    );
    expect(q).toBe(
      "WorkflowType = 'executeRequest' AND MediatorRequest IN ('SendEmail', 'Other') AND " +
        "((ExecutionStatus = 'Running' AND ExecutionTime > '2026-12-01T10:00:00.000Z') OR " +
        "(ExecutionStatus = 'Running' AND ExecutionTime <= '2026-12-01T10:00:00.000Z') OR " +
        "ExecutionStatus = 'Canceled' OR ExecutionStatus = 'TimedOut') AND TaskQueue = 'emails' AND " +
        "StartTime >= '2026-12-01T09:00:00.000Z' AND CloseTime < '2026-12-01T10:00:00.000Z' AND " +
        "(WorkflowId STARTS_WITH 'x')",
    );
  });

  it('quotes escape quotes and backslashes, so a name cannot end the literal', () => {
    expect(quote("it's \\ ok")).toBe("'it\\'s \\\\ ok'");
    expect(toVisibilityQuery({ request: "x' OR 'a' = 'a" })).toContain(
      "MediatorRequest = 'x\\' OR \\'a\\' = \\'a'",
    );
  });

  it('bad statuses, requests and dates are InvalidOptionError naming the option and the choices', () => {
    expect(() => toVisibilityQuery({ status: 'done' as never })).toThrow(
      /invalid option 'status'.*supported: scheduled, running/,
    );
    expect(() => toVisibilityQuery({ request: '' })).toThrow(/invalid option 'request'/);
    expect(() => toVisibilityQuery({ startedAfter: new Date('nope') })).toThrow(
      /invalid option 'startedAfter'/,
    );
  });

  it('the in-memory match applies the same fields and refuses raw queries', () => {
    const job = {
      request: 'SendEmail',
      status: 'failed' as const,
      queue: 'q',
      startTime: now,
      closeTime: undefined,
    };
    expect(matchesFilter({ request: SendEmail, status: ['failed'] }, job)).toBe(true);
    expect(matchesFilter({ closedAfter: now }, job)).toBe(false);
    expect(matchesFilter({ startedBefore: now }, job)).toBe(false);
    expect(() => matchesFilter({ query: 'x' }, job)).toThrow(/invalid option 'query'/);
    const mediator = createInMemoryMediator();
    expect(() => mediator.jobs({ query: "WorkflowId = 'x'" })).toThrow(/invalid option 'query'/);
  });

  it('retry ids: <id>~retry-<n>', () => {
    expect(parseRetryId('SendEmail-1')).toEqual({ root: 'SendEmail-1', n: 0 });
    expect(parseRetryId('SendEmail-1~retry-12')).toEqual({ root: 'SendEmail-1', n: 12 });
  });
});
