/**
 * Zod schemas of the HTTP layer and their OpenAPI (JSON Schema) form. Contract inputs are not
 * validated here: the mediator validates them against the contract and throws
 * `RequestValidationError`, which the error handler turns into a 400.
 */
import { z } from 'zod';
import type { InputOf, RequestDefinition, NotificationDefinition } from '../../src/index.js';
import { QUEUES } from '../config.js';
import { CreateUser } from '../contracts.js';
import { InvalidBodyError } from './errors.js';

/** A zod schema as OpenAPI 3.0 JSON Schema (documentation only; see `buildApp`). */
export function openapi(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });
}

/** Parses an HTTP-level body, query or params; a failure becomes a 400 with the issues. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  // A missing body is `{}` (fields with defaults may be left out); an explicit `null` is not an object.
  const result = schema.safeParse(value === undefined ? {} : value);
  if (!result.success) throw new InvalidBodyError(result.error);
  return result.data;
}

/**
 * The body as the contract's input. Not checked here on purpose: the mediator validates it (at the
 * caller, before anything starts) and its `RequestValidationError` carries the issues.
 */
export function contractInput<D extends RequestDefinition | NotificationDefinition>(
  _definition: D,
  body: unknown,
): InputOf<D> {
  return body as InputOf<D>;
}

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    request: z.string().optional(),
    jobId: z.string().optional(),
    issues: z
      .array(
        z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string(), code: z.string() }),
      )
      .optional(),
  }),
});

export const acceptedJob = z.object({
  jobId: z.string(),
  request: z.string(),
  statusUrl: z.string(),
  resultUrl: z.string(),
});

/** The 202 body for a job that was accepted by the server. */
export function accepted(job: { id: string; request: string | undefined }): z.output<typeof acceptedJob> {
  const id = encodeURIComponent(job.id);
  return {
    jobId: job.id,
    request: job.request ?? '',
    statusUrl: `/jobs/${id}`,
    resultUrl: `/jobs/${id}/result`,
  };
}

/**
 * Longest job or recurring id a path takes (characters). The app's `maxParamLength` leaves room for
 * this many characters percent-encoded, so a longer id is this API's 400, never the router's 414.
 */
export const MAX_ID_LENGTH = 200;

export const jobIdParams = z.object({ id: z.string().min(1).max(MAX_ID_LENGTH) });

const jobStatuses = [
  'scheduled',
  'running',
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timed_out',
  'continued_as_new',
  'unknown',
] as const;

/** A request name as the API takes it (the visibility query quotes it; this keeps it a name). */
const requestName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,199}$/)
  .describe('A request name, e.g. `SendEmail`.');
const trueFalse = z
  .enum(['true', 'false', '1', '0'])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

export const jobListQuery = z.object({
  request: requestName.optional(),
  status: z
    .enum(['scheduled', 'running', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out'])
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Jobs returned at most.'),
});

export const jobList = z.object({
  count: z.number().int().describe('Every job the filter matches (the list stops at `limit`).'),
  jobs: z.array(
    z.object({
      id: z.string(),
      request: z.string().nullable(),
      status: z.enum(jobStatuses),
      queue: z.string(),
      startTime: z.string(),
      closeTime: z.string().nullable(),
      retryOf: z.string().nullable().describe('The job this one retried.'),
    }),
  ),
});

export const retriedJob = z.object({
  jobId: z.string().describe('The retry: a new job.'),
  retryOf: z.string(),
  request: z.string().nullable(),
  statusUrl: z.string(),
  resultUrl: z.string(),
});

export const bulkRetryQuery = z.object({
  request: requestName,
  status: z.enum(['failed', 'cancelled', 'terminated', 'timed_out']).default('failed'),
  dryRun: trueFalse.describe('Only count what would be retried.'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('Retry at most this many.'),
});

const retryPair = z.object({ id: z.string(), retryId: z.string() });
export const bulkRetryResponse = z.object({
  matched: z.number().int(),
  retried: z.array(retryPair),
  alreadyRetried: z.array(retryPair),
  errors: z.array(z.object({ id: z.string(), message: z.string() })),
  dryRun: z.boolean(),
});

export const jobStatus = z.object({
  id: z.string(),
  request: z.string().nullable(),
  status: z.enum(jobStatuses),
  queue: z.string(),
  description: z.string().nullable(),
  startTime: z.string(),
  executionTime: z.string().nullable(),
  closeTime: z.string().nullable(),
});

export const resultQuery = z.object({
  wait: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1')
    .describe('Wait for the job to finish instead of answering 202 while it runs.'),
});

export const jobResult = z.object({
  id: z.string(),
  status: z.string(),
  result: z.unknown().optional(),
});

/** Upper bounds of the stress test's body (`buildApp({ stressTest })`). */
export interface StressTestLimits {
  /** @default 1000 */
  maxJobs: number;
  /** @default 5000 */
  maxWorkMs: number;
}

/** The stress test's body, within the app's limits. */
export function stressTestBodySchema(limits: StressTestLimits = { maxJobs: 1000, maxWorkMs: 5000 }) {
  return z.object({
    jobCount: z.number().int().min(1).max(limits.maxJobs).default(Math.min(100, limits.maxJobs)),
    workMs: z
      .number()
      .int()
      .min(0)
      .max(limits.maxWorkMs)
      .default(Math.min(100, limits.maxWorkMs))
      .describe('Simulated work per job.'),
    wait: z.boolean().default(false).describe('Wait for every job and report which worker ran it.'),
  });
}

export const stressTestBody = stressTestBodySchema();

const countBy = z.record(z.string(), z.number().int());

export const stressTestResponse = z.object({
  batch: z.string(),
  jobCount: z.number().int(),
  byQueue: countBy,
  jobIds: z.array(z.string()),
  enqueueMs: z.number(),
  byWorker: countBy.optional().describe('With `wait`: jobs per worker identity.'),
  totalMs: z.number().optional(),
});

export const mixedWorkloadResponse = z.object({
  totalMs: z.number(),
  results: z.array(z.object({ request: z.string(), jobId: z.string(), ms: z.number(), result: z.unknown() })),
});

export const queueStatsResponse = z.object({
  queues: z.array(
    z.object({
      name: z.string(),
      workers: z.array(z.string()),
      activityBacklog: z.number(),
      workflowBacklog: z.number(),
      activityBacklogAgeMs: z.number(),
    }),
  ),
  workers: z.array(z.object({ name: z.string(), queues: z.array(z.string()) })),
});

export const cascadeBody = z.object({
  count: z.number().int().min(1).max(20).default(5),
  intervalSeconds: z.number().int().min(1).max(3600).default(30),
});

export const cascadeResponse = z.object({
  batch: z.string(),
  jobs: z.array(z.object({ jobId: z.string(), queue: z.enum(QUEUES), runAt: z.string() })),
});

export const scheduledJob = acceptedJob.extend({ runAt: z.string() });

export const userWithResult = z.object({
  user: CreateUser.output,
  jobId: z.string(),
  welcomeJobId: z.string().describe('The durable fan-out of UserCreated (one activity per handler).'),
});

export const recurringBody = z.object({
  id: z.string(),
  request: z.string().nullable(),
  paused: z.boolean(),
  schedule: z.string(),
  queue: z.string().nullable(),
  nextRunTimes: z.array(z.string()),
  recentRuns: z.array(
    z.object({ jobId: z.string(), scheduledAt: z.string(), status: z.string().nullable() }),
  ),
});

export const recurringList = z.object({
  recurring: z.array(
    z.object({
      id: z.string(),
      request: z.string().nullable(),
      paused: z.boolean(),
      nextRunTimes: z.array(z.string()),
    }),
  ),
});

export type AcceptedJob = z.output<typeof acceptedJob>;
export type ScheduledJob = z.output<typeof scheduledJob>;
export type UserWithResult = z.output<typeof userWithResult>;
export type JobStatusBody = z.output<typeof jobStatus>;
export type JobResultBody = z.output<typeof jobResult>;
export type StressTestResponse = z.output<typeof stressTestResponse>;
export type MixedWorkloadResponse = z.output<typeof mixedWorkloadResponse>;
export type QueueStatsResponse = z.output<typeof queueStatsResponse>;
export type CascadeResponse = z.output<typeof cascadeResponse>;
export type RecurringBody = z.output<typeof recurringBody>;
export type RecurringList = z.output<typeof recurringList>;
export type JobListBody = z.output<typeof jobList>;
export type RetriedJobBody = z.output<typeof retriedJob>;
export type BulkRetryBody = z.output<typeof bulkRetryResponse>;
