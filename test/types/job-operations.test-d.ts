import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../../src/index.js';
import type {
  InMemoryMediator,
  JobCounts,
  JobHandle,
  JobSummary,
  Mediator,
  MediatorApi,
  RetryJobsResult,
} from '../../src/index.js';

const SendEmail = defineCommand({
  name: 'SendEmail',
  input: z.object({ to: z.string() }),
  output: z.object({ messageId: z.string() }),
});

declare const mediator: Mediator;
declare const inMemory: InMemoryMediator;

describe('job operations types', () => {
  it('with one definition, summaries and their handles are typed by its output', () => {
    expectTypeOf(mediator.jobs({ request: SendEmail, status: 'failed' })).toEqualTypeOf<
      AsyncIterable<JobSummary<{ messageId: string }>>
    >();
    expectTypeOf(mediator.jobs({ request: [SendEmail, 'Other'] })).toEqualTypeOf<AsyncIterable<JobSummary>>();
    expectTypeOf(mediator.jobs()).toEqualTypeOf<AsyncIterable<JobSummary>>();
    expectTypeOf<JobSummary<{ messageId: string }>['job']>().toEqualTypeOf<
      JobHandle<{ messageId: string }>
    >();
    expectTypeOf(mediator.job(SendEmail, 'id').retry()).toEqualTypeOf<
      Promise<JobHandle<{ messageId: string }>>
    >();
  });

  it('countJobs is a number, or counts by status when asked', () => {
    expectTypeOf(mediator.countJobs({ request: SendEmail })).toEqualTypeOf<Promise<number>>();
    expectTypeOf(mediator.countJobs({}, { byStatus: true })).toEqualTypeOf<Promise<JobCounts>>();
    expectTypeOf(inMemory.retryJobs({ request: SendEmail }, { dryRun: true })).toEqualTypeOf<
      Promise<RetryJobsResult>
    >();
  });

  it('both backends offer them through MediatorApi; statuses and options are checked', () => {
    expectTypeOf(inMemory).toMatchTypeOf<MediatorApi>();
    // @ts-expect-error not a job status
    void mediator.jobs({ status: 'done' });
    // @ts-expect-error fairnessWeight is a number
    void mediator.enqueue(SendEmail, { to: 'a' }, { fairnessKey: 'tenant', fairnessWeight: 'heavy' });
  });
});
