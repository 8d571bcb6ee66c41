/**
 * The distributed demo: load spread across queues and worker processes, jobs with return values,
 * worker/queue stats, and a cascade of delayed jobs.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Mediator } from '../../../src/index.js';
import { QUEUES } from '../../config.js';
import {
  CalculatePrimes,
  CreateUser,
  DailyCleanup,
  GenerateReport,
  SendEmail,
  StressJob,
} from '../../contracts.js';
import type { RouteDeps } from '../app.js';
import {
  cascadeBody,
  cascadeResponse,
  errorBody,
  mixedWorkloadResponse,
  openapi,
  parse,
  queueStatsResponse,
  stressTestBodySchema,
  stressTestResponse,
} from '../schemas.js';

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the order of results. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** Starts a job with a known id, waits for its result, and times it. */
async function timed<T>(request: string, run: (jobId: string) => Promise<T>) {
  const jobId = `${request}-${randomUUID()}`;
  const started = Date.now();
  const result = await run(jobId);
  return { request, jobId, ms: Date.now() - started, result };
}

function mixedWorkload(mediator: Mediator) {
  const tag = randomUUID().slice(0, 6);
  return Promise.all([
    timed('CreateUser', (jobId) =>
      mediator.enqueueAsync(CreateUser, { email: `mixed-${tag}@example.com`, name: 'Mixed' }, { jobId }),
    ),
    timed('SendEmail', (jobId) =>
      mediator.enqueueAsync(
        SendEmail,
        { to: `mixed-${tag}@example.com`, subject: 'Mixed workload' },
        { jobId },
      ),
    ),
    timed('GenerateReport', (jobId) =>
      mediator.enqueueAsync(GenerateReport, { title: `Mixed ${tag}`, pages: 2, msPerPage: 200 }, { jobId }),
    ),
    timed('CalculatePrimes', (jobId) =>
      mediator.enqueueAsync(CalculatePrimes, { below: 100_000 }, { jobId }),
    ),
    timed('DailyCleanup', (jobId) => mediator.enqueueAsync(DailyCleanup, { olderThanDays: 7 }, { jobId })),
  ]);
}

export function distributedRoutes(app: FastifyInstance, { mediator, stressTest }: RouteDeps): void {
  const stressTestBody = stressTestBodySchema(stressTest);
  app.post(
    '/distributed/stress-test',
    {
      schema: {
        tags: ['distributed'],
        summary: 'Stress test: jobCount jobs spread across every queue',
        description: `Enqueues \`StressJob\`s round-robin on ${QUEUES.join(', ')}. With \`wait\`, reports which worker ran each.`,
        body: openapi(stressTestBody, 'input'),
        response: {
          200: openapi(stressTestResponse),
          202: openapi(stressTestResponse),
          400: openapi(errorBody),
        },
      },
    },
    async (request, reply) => {
      const { jobCount, workMs, wait } = parse(stressTestBody, request.body);
      const batch = randomUUID().slice(0, 8);
      const plan = Array.from({ length: jobCount }, (_, index) => ({
        index,
        queue: QUEUES[index % QUEUES.length]!,
      }));
      const started = Date.now();
      const jobs = await mapLimit(plan, 50, ({ index, queue }) =>
        mediator.enqueue(
          StressJob,
          { batch, index, queue, workMs },
          { queue, jobId: `StressJob-${batch}-${index}` },
        ),
      );
      const summary = {
        batch,
        jobCount,
        byQueue: countBy(plan, (p) => p.queue),
        jobIds: jobs.map((j) => j.id),
        enqueueMs: Date.now() - started,
      };
      if (!wait) return reply.code(202).send(summary);
      const results = await mapLimit(jobs, 100, (job) => job.result());
      return { ...summary, byWorker: countBy(results, (r) => r.worker), totalMs: Date.now() - started };
    },
  );

  app.post(
    '/distributed/mixed-workload',
    {
      schema: {
        tags: ['distributed'],
        summary: 'Mixed workload with return values',
        description: 'Runs one job of each kind in parallel with `enqueueAsync` and returns every result.',
        response: { 200: openapi(mixedWorkloadResponse), 502: openapi(errorBody) },
      },
    },
    async () => {
      const started = Date.now();
      const results = await mixedWorkload(mediator);
      return { totalMs: Date.now() - started, results };
    },
  );

  app.get(
    '/distributed/stats',
    {
      schema: {
        tags: ['distributed'],
        summary: 'Workers and backlog per queue',
        description:
          "From Temporal's task-queue descriptions: who polled each queue recently and what waits.",
        response: { 200: openapi(queueStatsResponse) },
      },
    },
    async () => {
      const stats = await mediator.queues([...QUEUES]);
      const byWorker = new Map<string, string[]>();
      for (const q of stats) for (const w of q.workers) byWorker.set(w, [...(byWorker.get(w) ?? []), q.name]);
      return {
        queues: stats.map(({ name, workers, activityBacklog, workflowBacklog, activityBacklogAgeMs }) => ({
          name,
          workers,
          activityBacklog,
          workflowBacklog,
          activityBacklogAgeMs,
        })),
        workers: [...byWorker]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, queues]) => ({ name, queues })),
      };
    },
  );

  app.post(
    '/distributed/scheduled-cascade',
    {
      schema: {
        tags: ['distributed'],
        summary: 'Scheduled cascade: jobs intervalSeconds apart',
        description:
          'Schedules `count` jobs with increasing delays (30 s apart by default), rotating over the queues.',
        body: openapi(cascadeBody, 'input'),
        response: { 202: openapi(cascadeResponse), 400: openapi(errorBody) },
      },
    },
    async (request, reply) => {
      const { count, intervalSeconds } = parse(cascadeBody, request.body);
      const batch = `cascade-${randomUUID().slice(0, 8)}`;
      const now = Date.now();
      const jobs = await Promise.all(
        Array.from({ length: count }, async (_, index) => {
          const queue = QUEUES[index % QUEUES.length]!;
          const delayMs = (index + 1) * intervalSeconds * 1000;
          const job = await mediator.schedule(
            StressJob,
            { batch, index, queue, workMs: 100 },
            {
              queue,
              delay: delayMs,
              jobId: `StressJob-${batch}-${index}`,
              description: `Cascade step ${index + 1}/${count}`,
            },
          );
          return { jobId: job.id, queue, runAt: new Date(now + delayMs).toISOString() };
        }),
      );
      return reply.code(202).send({ batch, jobs });
    },
  );
}
