import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../../src/index.js';
import { toActivityVisibilityQuery, toVisibilityQuery } from '../../src/jobs/filter.js';
import { comesFirst, mergeByVisibilityOrder } from '../../src/jobs/merge.js';
import { activityStatus } from '../../src/client/lanes/standalone-jobs.js';
import { retryOfHeader } from '../../src/client/lanes/standalone-retry.js';
import { defaultPayloadConverter } from '@temporalio/common';

const SendEmail = defineCommand({ name: 'SendEmail', input: z.object({}), output: z.object({}) });
const now = new Date('2026-12-01T10:00:00.000Z');
const at = (iso: string) => new Date(`2026-12-01T${iso}Z`);

async function* from<T>(items: T[], read: string[], name: string): AsyncGenerator<T> {
  for (const item of items) {
    read.push(name);
    yield await Promise.resolve(item);
  }
}

describe('standalone jobs in the job operations', () => {
  it('the activity query has the same clauses as the workflow query, limited by the MediatorRequest attribute', () => {
    const filter = {
      request: SendEmail,
      status: ['scheduled', 'failed'] as const,
      queue: 'q',
      closedAfter: now,
    };
    expect(toActivityVisibilityQuery(filter, now)).toBe(
      toVisibilityQuery(filter, now).replace("WorkflowType = 'executeRequest' AND ", ''),
    );
    expect(toActivityVisibilityQuery({}, now)).toBe('MediatorRequest IS NOT NULL');
    expect(toActivityVisibilityQuery({ query: "ActivityId = 'x'" }, now)).toBe(
      "MediatorRequest IS NOT NULL AND (ActivityId = 'x')",
    );
  });

  it('visibility order: open first, then the latest closed, then the latest started', () => {
    const open = { startTime: at('09:00:00'), closeTime: undefined };
    const closedLate = { startTime: at('08:00:00'), closeTime: at('09:30:00') };
    const closedEarly = { startTime: at('09:10:00'), closeTime: at('09:20:00') };
    expect(comesFirst(open, closedLate)).toBe(true);
    expect(comesFirst(closedLate, open)).toBe(false);
    expect(comesFirst(closedLate, closedEarly)).toBe(true);
    expect(comesFirst({ ...open, startTime: at('09:05:00') }, open)).toBe(true);
  });

  it('merging two ordered listings keeps the order and reads one item ahead of what it yields', async () => {
    const wf = [
      { id: 'w-open', startTime: at('09:00:00'), closeTime: undefined },
      { id: 'w-2', startTime: at('07:00:00'), closeTime: at('09:50:00') },
      { id: 'w-1', startTime: at('07:00:00'), closeTime: at('08:00:00') },
    ];
    const sa = [
      { id: 's-open', startTime: at('09:30:00'), closeTime: undefined },
      { id: 's-1', startTime: at('07:30:00'), closeTime: at('09:00:00') },
    ];
    const read: string[] = [];
    const merged: string[] = [];
    for await (const j of mergeByVisibilityOrder(from(wf, read, 'w'), from(sa, read, 's'))) {
      merged.push(j.id);
      if (merged.length === 3) break;
    }
    expect(merged).toEqual(['s-open', 'w-open', 'w-2']);
    expect(read.filter((r) => r === 'w')).toHaveLength(2);
    expect(read.filter((r) => r === 's')).toHaveLength(2);
    const all: string[] = [];
    for await (const j of mergeByVisibilityOrder(from(wf, [], 'w'), from([], [], 's'))) all.push(j.id);
    expect(all).toEqual(['w-open', 'w-2', 'w-1']);
  });

  it('activity statuses map onto job statuses; a running one before its start delay is scheduled', () => {
    const seconds = (d: Date) => ({ seconds: d.getTime() / 1000, nanos: 0 });
    expect(activityStatus({ status: 1, executionTime: seconds(at('11:00:00')) }, now.getTime())).toBe(
      'scheduled',
    );
    expect(activityStatus({ status: 1, executionTime: seconds(at('09:00:00')) }, now.getTime())).toBe(
      'running',
    );
    expect([2, 3, 4, 5, 6, 7, 99].map((status) => activityStatus({ status }))).toEqual([
      'completed',
      'failed',
      'cancelled',
      'terminated',
      'timed_out',
      'running',
      'unknown',
    ]);
  });

  it('a standalone retry names its original in the mediatorRetryOf header', () => {
    expect(retryOfHeader({ fields: { mediatorRetryOf: defaultPayloadConverter.toPayload('job-1') } })).toBe(
      'job-1',
    );
    expect(retryOfHeader({ fields: {} })).toBeUndefined();
    expect(retryOfHeader(undefined)).toBeUndefined();
  });
});
