/**
 * The example's handlers: what the workers run. The "services" are simulated (an in-memory user
 * store per process, a flaky mailer, timers for slow work).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { NonRetryableError, createHandlers, loggingBehavior } from '../src/index.js';
import type { Handlers } from '../src/index.js';
import {
  CalculatePrimes,
  CreateUser,
  DailyCleanup,
  GenerateReport,
  SendEmail,
  SendReminder,
  StressJob,
  UserCreated,
} from './contracts.js';

/** Options of {@link createExampleHandlers}. */
export interface ExampleHandlersOptions {
  /** Reported by `StressJob` results. @default `<hostname>-<pid>` */
  workerName?: string;
}

function countPrimes(below: number): { count: number; largest: number } {
  const sieve = new Uint8Array(below);
  let count = 0;
  let largest = 0;
  for (let i = 2; i < below; i++) {
    if (sieve[i]) continue;
    count++;
    largest = i;
    for (let j = i * i; j < below; j += i) sieve[j] = 1;
  }
  return { count, largest };
}

/** Builds the example's handler registry. */
export function createExampleHandlers(options: ExampleHandlersOptions = {}): Handlers {
  const workerName = options.workerName ?? `${hostname()}-${process.pid}`;
  const users = new Map<string, { userId: string; email: string; name: string }>();
  /** Addresses at unreachable.example that bounced once: the next message to them is delivered. */
  const bounced = new Set<string>();
  return createHandlers({ behaviors: [loggingBehavior({ level: 'debug' })] })
    .handle(CreateUser, (input, ctx) => {
      const user = { userId: `u-${randomUUID().slice(0, 8)}`, ...input };
      users.set(user.userId, user);
      ctx.log.info('user created', { userId: user.userId });
      return user;
    })
    .handle(SendEmail, (input, ctx) => {
      const attempt = ctx.attempt ?? 1;
      // The first message to an unreachable.example address bounces for good (no retry): a failed
      // job an operator retries (`POST /jobs/{id}/retry`); the retry is delivered, as after an outage.
      if (ctx.jobId && input.to.endsWith('@unreachable.example') && !bounced.has(input.to)) {
        bounced.add(input.to);
        throw new NonRetryableError(`mailbox ${input.to} unreachable (bounced)`, {
          type: 'MailboxUnreachable',
        });
      }
      if (ctx.jobId && attempt < 2) throw new Error('SMTP server busy (the example fails the first attempt)');
      ctx.log.info('email sent', { to: input.to, attempt });
      return { messageId: `m-${randomUUID().slice(0, 8)}`, attempts: attempt };
    })
    .handle(GenerateReport, async (input, ctx) => {
      const started = Date.now();
      ctx.log.info('report started', { title: input.title, pages: input.pages });
      for (let page = 1; page <= input.pages; page++) {
        await sleep(input.msPerPage, undefined, { signal: ctx.signal });
        const percent = Math.round((page / input.pages) * 100);
        ctx.log.info(`rendered page ${page}/${input.pages} (${percent}%)`, { title: input.title });
      }
      ctx.log.info('report finished', { title: input.title });
      return {
        reportId: `r-${randomUUID().slice(0, 8)}`,
        title: input.title,
        pages: input.pages,
        ms: Date.now() - started,
      };
    })
    .handle(SendReminder, (input, ctx) => {
      ctx.log.info('reminder sent', { userId: input.userId, message: input.message });
      return { deliveredAt: new Date().toISOString() };
    })
    .handle(DailyCleanup, (input, ctx) => {
      const removed = Math.floor(Math.random() * 100);
      ctx.log.info('cleanup done', { removed, olderThanDays: input.olderThanDays });
      return { removed, olderThanDays: input.olderThanDays };
    })
    .handle(StressJob, async (input, ctx) => {
      const started = Date.now();
      await sleep(input.workMs, undefined, { signal: ctx.signal });
      return { index: input.index, queue: input.queue, worker: workerName, ms: Date.now() - started };
    })
    .handle(CalculatePrimes, (input) => ({ below: input.below, ...countPrimes(input.below) }))
    .on(UserCreated, 'welcome-email', (event, ctx) =>
      ctx.log.info('welcome email queued', { userId: event.userId, email: event.email }),
    )
    .on(UserCreated, 'audit', (event, ctx) => ctx.log.info('audit entry written', { userId: event.userId }));
}
