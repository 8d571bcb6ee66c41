/**
 * The example's contracts: shared by the API (which only dispatches them) and the workers (which
 * run their handlers). Each names its default queue; the stress test overrides it per call.
 */
import { z } from 'zod';
import { defineCommand, defineNotification } from '../src/index.js';
import { QUEUES } from './config.js';

/**
 * An email address as RFC 5321 bounds it (local part up to 64 characters, the whole up to 254),
 * which is what the OpenAPI document's `format: email` promises; zod's own pattern has no lengths.
 */
const emailAddress = z
  .email({
    pattern:
      /^(?=[^@]{1,64}@)(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/,
  })
  .max(254);

/** Creates a user; runs on the `critical` queue with 3 attempts. */
export const CreateUser = defineCommand({
  name: 'CreateUser',
  input: z.object({ email: emailAddress, name: z.string().min(1).max(100) }),
  output: z.object({ userId: z.string(), email: z.string(), name: z.string() }),
  queue: 'critical',
  retry: { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2 },
  timeout: '30s',
  description: 'Create a user',
});

/** Sends an email; the example's mailer fails the first attempt to show a retry with backoff. */
export const SendEmail = defineCommand({
  name: 'SendEmail',
  input: z.object({
    to: emailAddress,
    subject: z.string().min(1).max(200),
    body: z.string().max(10_000).default(''),
  }),
  output: z.object({ messageId: z.string(), attempts: z.number().int() }),
  queue: 'emails',
  retry: { maximumAttempts: 5, initialInterval: '500ms', backoffCoefficient: 2 },
  timeout: '30s',
  description: 'Send an email',
});

/** A long-running report: one console line per page, visible in the worker log. */
export const GenerateReport = defineCommand({
  name: 'GenerateReport',
  input: z.object({
    title: z.string().min(1).max(200),
    pages: z.number().int().min(1).max(50).default(5),
    /** Simulated work per page. */
    msPerPage: z.number().int().min(0).max(10_000).default(1000),
  }),
  output: z.object({ reportId: z.string(), title: z.string(), pages: z.number().int(), ms: z.number() }),
  queue: 'reports',
  retry: { maximumAttempts: 2 },
  timeout: '10m',
  description: 'Generate a report',
});

/** A reminder, scheduled to run later. */
export const SendReminder = defineCommand({
  name: 'SendReminder',
  input: z.object({ userId: z.string().min(1), message: z.string().min(1).max(500) }),
  output: z.object({ deliveredAt: z.string() }),
  queue: 'emails',
  description: 'Send a reminder',
});

/** The daily cleanup (a recurring job on the `cleanup` queue). */
export const DailyCleanup = defineCommand({
  name: 'DailyCleanup',
  input: z.object({ olderThanDays: z.number().int().min(1).max(3650).default(30) }),
  output: z.object({ removed: z.number().int(), olderThanDays: z.number().int() }),
  queue: 'cleanup',
  timeout: '5m',
  description: 'Daily cleanup',
});

/** One unit of the stress test: a short piece of work that reports which worker ran it. */
export const StressJob = defineCommand({
  name: 'StressJob',
  input: z.object({
    batch: z.string(),
    index: z.number().int().min(0),
    queue: z.enum(QUEUES),
    workMs: z.number().int().min(0).max(10_000).default(100),
  }),
  output: z.object({ index: z.number().int(), queue: z.string(), worker: z.string(), ms: z.number() }),
  queue: 'default',
  timeout: '1m',
});

/** A computation with a return value (the mixed workload). */
export const CalculatePrimes = defineCommand({
  name: 'CalculatePrimes',
  input: z.object({ below: z.number().int().min(2).max(5_000_000) }),
  output: z.object({ below: z.number().int(), count: z.number().int(), largest: z.number().int() }),
  queue: 'default',
  timeout: '1m',
  description: 'Count primes',
});

/** Published after a user is created; two handlers, each its own activity when published durably. */
export const UserCreated = defineNotification({
  name: 'UserCreated',
  input: z.object({ userId: z.string(), email: z.string() }),
  queue: 'emails',
});
