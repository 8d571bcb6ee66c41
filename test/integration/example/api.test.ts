import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Mediator } from '../../../src/index.js';
import type { MediatorWorker } from '../../../src/worker/create-worker.js';
import { buildApp } from '../../../examples/api/app.js';
import { QUEUES } from '../../../examples/config.js';
import { createExampleHandlers } from '../../../examples/handlers.js';
import {
  acceptedJob,
  bulkRetryResponse,
  cascadeResponse,
  jobList,
  retriedJob,
  errorBody,
  jobResult,
  jobStatus,
  mixedWorkloadResponse,
  queueStatsResponse,
  recurringBody,
  recurringList,
  scheduledJob,
  stressTestResponse,
  userWithResult,
} from '../../../examples/api/schemas.js';
import { testMediator, testWorker } from '../helpers.js';

/**
 * The example API against the shared dev server, with a real worker running the example's
 * handlers. The example's queue names are fixed (critical, emails, reports, cleanup, default), so
 * this is the only test that may serve them on the shared server; every other test uses
 * `uniqueQueue()`. Every endpoint of the OpenAPI document is called (the last test checks).
 */

const WORKER = 'api-test-worker';
let mediator: Mediator;
let worker: MediatorWorker;
let running: Promise<void>;
let app: FastifyInstance;
let base: string;
const called = new Set<string>();

interface Answer<T> {
  status: number;
  body: T;
}

/**
 * Calls the API over real HTTP, records `METHOD /route` for the coverage check, and parses the
 * body with the zod schema the OpenAPI document was generated from (so the document is checked
 * against what the API really answers).
 */
async function call<S extends z.ZodType>(
  method: string,
  route: string,
  schema: S,
  options: { path?: string; body?: unknown } = {},
): Promise<Answer<z.output<S>>> {
  called.add(`${method} ${route}`);
  const res = await fetch(`${base}${options.path ?? route}`, {
    method,
    ...(options.body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${method} ${route} -> ${res.status}: unexpected body ${text}`);
  return { status: res.status, body: parsed.data };
}

const jobPath = (id: string, suffix = '') => ({ path: `/jobs/${encodeURIComponent(id)}${suffix}` });

/** Process warnings while the app is built and listens (Fastify reports deprecations this way). */
const warnings: string[] = [];
const onWarning = (w: Error & { code?: string }) => warnings.push(`${w.code ?? w.name}: ${w.message}`);

beforeAll(async () => {
  mediator = await testMediator();
  worker = await testWorker(createExampleHandlers({ workerName: WORKER }), {
    queues: [...QUEUES],
    identity: WORKER,
  });
  running = worker.run();
  process.on('warning', onWarning);
  app = await buildApp({ mediator });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  process.off('warning', onWarning);
  await app?.close();
  worker?.shutdown();
  await running;
  await mediator?.close();
});

const ok = z.object({ status: z.literal('ok') });
const openApiDoc = z.object({
  openapi: z.string(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

describe('example API', () => {
  it('serves the OpenAPI document, the Swagger UI and a health check', async () => {
    const doc = await call('GET', '/openapi.json', openApiDoc);
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    const createUser = doc.body.paths['/users']?.post as { requestBody: unknown } | undefined;
    expect(createUser?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { required: ['email', 'name'] } } },
    });
    // Bodies whose fields all have defaults may be left out, and the document says so; every route
    // documents the error handler's statuses (the result of a job with a bad `wait` answers 400).
    type Op = { requestBody?: { required: boolean }; responses: Record<string, unknown> };
    const op = (path: string, method: string) => doc.body.paths[path]?.[method] as Op;
    expect(op('/users', 'post').requestBody?.required).toBe(true);
    for (const [path, method] of [
      ['/recurring/daily-cleanup', 'put'],
      ['/distributed/stress-test', 'post'],
      ['/distributed/scheduled-cascade', 'post'],
    ] as const) {
      expect(op(path, method).requestBody?.required, `${method} ${path}`).toBe(false);
    }
    expect(Object.keys(op('/jobs/{id}/result', 'get').responses)).toEqual(
      expect.arrayContaining(['200', '202', '400', '404', '409', '502', '503', '504']),
    );
    const ui = await fetch(`${base}/docs/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
    expect((await call('GET', '/health', ok)).status).toBe(200);
  });

  it('creates a user fire-and-forget, then reads its status and result by job id', async () => {
    const created = await call('POST', '/users', acceptedJob, {
      body: { email: 'ada@example.com', name: 'Ada' },
    });
    expect(created.status).toBe(202);
    const { jobId } = created.body;
    expect(jobId).toMatch(/^CreateUser-/);
    expect(created.body).toMatchObject({ request: 'CreateUser', statusUrl: `/jobs/${jobId}` });

    const result = await call('GET', '/jobs/:id/result', jobResult, jobPath(jobId, '/result?wait=true'));
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      id: jobId,
      status: 'completed',
      result: { email: 'ada@example.com' },
    });

    const status = await call('GET', '/jobs/:id', jobStatus, jobPath(jobId));
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      id: jobId,
      request: 'CreateUser',
      status: 'completed',
      queue: 'critical',
    });
  });

  it('answers 400 with the contract validation issues, and starts nothing', async () => {
    const bad = await call('POST', '/users', errorBody, { body: { email: 'not-an-email', name: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'REQUEST_VALIDATION', request: 'CreateUser' });
    expect(bad.body.error.jobId).toBeUndefined();
    expect(bad.body.error.issues?.map((i) => i.path.join('.')).sort()).toEqual(['email', 'name']);

    const missing = await call('POST', '/emails', errorBody, { body: { subject: 'no recipient' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues?.[0]?.path).toEqual(['to']);
  });

  it('creates a user and returns its result, with the durable UserCreated fan-out', async () => {
    const body = { email: 'alan@example.com', name: 'Alan' };
    const res = await call('POST', '/users/with-result', userWithResult, { body });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject(body);
    expect(res.body.user.userId).toMatch(/^u-/);
    expect(res.body.jobId).toMatch(/^CreateUser-/);
    const fanOut = await call(
      'GET',
      '/jobs/:id/result',
      jobResult,
      jobPath(res.body.welcomeJobId, '/result?wait=true'),
    );
    expect(fanOut.body.result).toMatchObject({
      outcomes: [{ status: 'fulfilled' }, { status: 'fulfilled' }],
    });
  });

  it('sends an email: the first attempt fails, the retry succeeds', async () => {
    const res = await call('POST', '/emails', acceptedJob, {
      body: { to: 'ada@example.com', subject: 'Hi' },
    });
    expect(res.status).toBe(202);
    const result = await call(
      'GET',
      '/jobs/:id/result',
      jobResult,
      jobPath(res.body.jobId, '/result?wait=true'),
    );
    expect(result.body.result).toMatchObject({ attempts: 2 });
  });

  it('generates a report: 202 while running, then its result', async () => {
    const res = await call('POST', '/reports', acceptedJob, {
      body: { title: 'Q3', pages: 3, msPerPage: 300 },
    });
    expect(res.status).toBe(202);
    const early = await call('GET', '/jobs/:id/result', jobResult, jobPath(res.body.jobId, '/result'));
    expect(early.status).toBe(202);
    expect(early.body.status).toBe('running');
    const done = await call(
      'GET',
      '/jobs/:id/result',
      jobResult,
      jobPath(res.body.jobId, '/result?wait=true'),
    );
    expect(done.body.result).toMatchObject({ title: 'Q3', pages: 3 });
  });

  it('schedules a reminder 24 h out; it shows as scheduled and can be cancelled', async () => {
    const before = Date.now();
    const res = await call('POST', '/reminders', scheduledJob, { body: { userId: 'u-1', message: 'Renew' } });
    expect(res.status).toBe(202);
    expect(Date.parse(res.body.runAt) - before).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);
    const { jobId } = res.body;
    expect((await call('GET', '/jobs/:id', jobStatus, jobPath(jobId))).body).toMatchObject({
      status: 'scheduled',
      request: 'SendReminder',
      queue: 'emails',
    });
    const cancelled = await call('POST', '/jobs/:id/cancel', jobStatus, jobPath(jobId, '/cancel'));
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.id).toBe(jobId);
    // The server applies the cancellation of a not-yet-started job asynchronously.
    await expect
      .poll(async () => (await call('GET', '/jobs/:id', jobStatus, jobPath(jobId))).body.status)
      .toBe('cancelled');
  });

  it('starts without a deprecation warning (the router limits sit under routerOptions)', () => {
    // Fastify 5 warned FSTDEP022 for the top-level maxParamLength on every start of the example.
    expect(warnings.filter((w) => w.startsWith('FST'))).toEqual([]);
  });

  it("answers 400, never the router's undocumented 414, for an id past the documented 200 characters", async () => {
    // schemathesis found a long id answered 414 by Fastify's router (maxParamLength 100).
    const zalgo = 'Ṱ̺̺̕o͞'.repeat(40); // 4-byte-heavy when percent-encoded
    const id200 = 'x'.repeat(200);
    expect((await call('GET', '/jobs/:id', errorBody, jobPath(id200))).status).toBe(404);
    const tooLong = await call('GET', '/jobs/:id', errorBody, jobPath(zalgo));
    expect(tooLong.status).toBe(400);
    const trigger = await call('POST', '/recurring/:id/trigger', errorBody, {
      path: `/recurring/${encodeURIComponent(zalgo)}/trigger`,
    });
    expect(trigger.status).toBe(400);
  });

  it('answers 404 for an unknown job and 409 for the result of a cancelled one', async () => {
    const missing = await call('GET', '/jobs/:id', errorBody, jobPath('no-such-job'));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('JOB_NOT_FOUND');
    expect((await call('GET', '/jobs/:id/result', errorBody, jobPath('no-such-job', '/result'))).status).toBe(
      404,
    );

    const body = { title: 'to cancel', pages: 50, msPerPage: 1000 };
    const { jobId } = (await call('POST', '/reports', acceptedJob, { body })).body;
    await call('POST', '/jobs/:id/cancel', jobStatus, jobPath(jobId, '/cancel'));
    const result = await call('GET', '/jobs/:id/result', errorBody, jobPath(jobId, '/result?wait=true'));
    expect(result.status).toBe(409);
    expect(result.body.error).toMatchObject({ code: 'JOB_CANCELLED', jobId });
  });

  it('sets up the daily cleanup (cron), lists, describes, triggers and removes it', async () => {
    const path = { path: '/recurring/daily-cleanup' };
    const bad = await call('PUT', '/recurring/daily-cleanup', errorBody, { body: { olderThanDays: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues?.[0]?.path).toEqual(['olderThanDays']);
    const badCron = await call('PUT', '/recurring/daily-cleanup', errorBody, { body: { cron: 'every day' } });
    expect(badCron.status).toBe(400);

    // Every field has a default: an empty body sets up the documented defaults.
    const defaults = await call('PUT', '/recurring/daily-cleanup', recurringBody, { body: {} });
    expect(defaults.status).toBe(200);
    expect(defaults.body.schedule).toContain('0 2 * * *');
    const body = { cron: '0 2 * * *', olderThanDays: 7 };
    const set = await call('PUT', '/recurring/daily-cleanup', recurringBody, { body });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      id: 'daily-cleanup',
      request: 'DailyCleanup',
      queue: 'cleanup',
      paused: false,
    });
    expect(set.body.schedule).toContain('0 2 * * *');
    expect(new Date(set.body.nextRunTimes[0]!).getUTCHours()).toBe(2);
    try {
      const ids = async () =>
        (await call('GET', '/recurring', recurringList)).body.recurring.map((r) => r.id);
      await expect.poll(ids, { timeout: 15_000 }).toContain('daily-cleanup');

      const trigger = { path: '/recurring/daily-cleanup/trigger' };
      expect((await call('POST', '/recurring/:id/trigger', z.unknown(), trigger)).status).toBe(202);
      const firstRun = async () =>
        (await call('GET', '/recurring/:id', recurringBody, path)).body.recentRuns[0];
      await expect.poll(firstRun).toBeDefined();
      const run = (await firstRun())!;
      const result = await call(
        'GET',
        '/jobs/:id/result',
        jobResult,
        jobPath(run.jobId, '/result?wait=true'),
      );
      expect(result.body.result).toMatchObject({ olderThanDays: 7 });
    } finally {
      expect((await call('DELETE', '/recurring/:id', z.undefined(), path)).status).toBe(204);
    }
    const gone = await call('GET', '/recurring/:id', errorBody, path);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('RECURRING_NOT_FOUND');
  });

  it('stress test: spreads jobs over every queue and reports the worker that ran each', async () => {
    const bad = await call('POST', '/distributed/stress-test', errorBody, { body: { jobCount: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(bad.body.error.issues?.[0]?.path).toEqual(['jobCount']);

    const body = { jobCount: 10, workMs: 10, wait: true };
    const res = await call('POST', '/distributed/stress-test', stressTestResponse, { body });
    expect(res.status).toBe(200);
    expect(res.body.byQueue).toEqual({ critical: 2, emails: 2, reports: 2, cleanup: 2, default: 2 });
    expect(res.body.byWorker).toEqual({ [WORKER]: 10 });
    expect(res.body.jobIds).toHaveLength(10);

    const fireAndForget = await call('POST', '/distributed/stress-test', stressTestResponse, {
      body: { jobCount: 5, workMs: 0 },
    });
    expect(fireAndForget.status).toBe(202);
    expect(fireAndForget.body.byWorker).toBeUndefined();
  });

  it('mixed workload: returns every job value', async () => {
    const res = await call('POST', '/distributed/mixed-workload', mixedWorkloadResponse);
    expect(res.status).toBe(200);
    const byRequest = Object.fromEntries(res.body.results.map((r) => [r.request, r.result]));
    expect(byRequest.CalculatePrimes).toEqual({ below: 100_000, count: 9592, largest: 99_991 });
    expect(Object.keys(byRequest).sort()).toEqual([
      'CalculatePrimes',
      'CreateUser',
      'DailyCleanup',
      'GenerateReport',
      'SendEmail',
    ]);
  });

  it('stats: the worker polls every queue', async () => {
    const res = await call('GET', '/distributed/stats', queueStatsResponse);
    expect(res.status).toBe(200);
    expect(res.body.queues.map((q) => q.name)).toEqual([...QUEUES]);
    for (const q of res.body.queues) expect(q.workers).toContain(WORKER);
    expect(res.body.workers).toContainEqual({ name: WORKER, queues: [...QUEUES] });
  });

  it('scheduled cascade: jobs intervalSeconds apart, on rotating queues', async () => {
    const tooMany = await call('POST', '/distributed/scheduled-cascade', errorBody, { body: { count: 99 } });
    expect(tooMany.status).toBe(400);
    // No body: the documented defaults (5 jobs, 30 s apart).
    const defaults = await call('POST', '/distributed/scheduled-cascade', cascadeResponse);
    expect(defaults.status).toBe(202);
    expect(defaults.body.jobs).toHaveLength(5);
    for (const job of defaults.body.jobs) await mediator.job(job.jobId).cancel();
    // `null` is not the object the document asks for; a `__proto__` key is dropped, not refused.
    expect((await call('POST', '/distributed/scheduled-cascade', errorBody, { body: null })).status).toBe(
      400,
    );
    const proto = JSON.parse('{"__proto__": {"count": 20}, "count": 1}') as unknown;
    const one = await call('POST', '/distributed/scheduled-cascade', cascadeResponse, { body: proto });
    expect(one.status).toBe(202);
    expect(one.body.jobs).toHaveLength(1);
    await mediator.job(one.body.jobs[0]!.jobId).cancel();
    const res = await call('POST', '/distributed/scheduled-cascade', cascadeResponse, { body: { count: 3 } });
    expect(res.status).toBe(202);
    const { jobs } = res.body;
    expect(jobs.map((j) => j.queue)).toEqual(['critical', 'emails', 'reports']);
    const times = jobs.map((j) => Date.parse(j.runAt));
    expect(times[1]! - times[0]!).toBe(30_000);
    expect(times[2]! - times[1]!).toBe(30_000);
    for (const job of jobs) {
      expect((await call('GET', '/jobs/:id', jobStatus, jobPath(job.jobId))).body.status).toBe('scheduled');
      await call('POST', '/jobs/:id/cancel', jobStatus, jobPath(job.jobId, '/cancel'));
    }
  });

  it('operations: a failed job is listed, retried by id (idempotent), and bulk retry skips it (dry run first)', async () => {
    const to = `api-ops-${Date.now()}@unreachable.example`;
    const sent = await call('POST', '/emails', acceptedJob, { body: { to, subject: 'Bounce' } });
    const id = sent.body.jobId;
    const failure = await call('GET', '/jobs/:id/result', errorBody, jobPath(id, '/result?wait=true'));
    expect(failure.status).toBe(502);
    expect(failure.body.error).toMatchObject({ code: 'HANDLER_FAILED', jobId: id, request: 'SendEmail' });
    const failedList = async () =>
      (await call('GET', '/jobs', jobList, { path: '/jobs?request=SendEmail&status=failed' })).body;
    await expect
      .poll(async () => (await failedList()).jobs.map((j) => j.id), { timeout: 15_000 })
      .toContain(id);
    const listed = await failedList();
    expect(listed.count).toBeGreaterThanOrEqual(1);
    expect(listed.jobs.find((j) => j.id === id)).toMatchObject({
      request: 'SendEmail',
      status: 'failed',
      queue: 'emails',
      retryOf: null,
    });
    expect((await call('GET', '/jobs', errorBody, { path: '/jobs?status=done' })).status).toBe(400);

    const dryPath = { path: '/jobs/retry?request=SendEmail&status=failed&dryRun=true' };
    const dry = await call('POST', '/jobs/retry', bulkRetryResponse, dryPath);
    expect(dry.status).toBe(200);
    expect(dry.body.matched).toBeGreaterThanOrEqual(1);
    expect(dry.body).toMatchObject({ retried: [], dryRun: true });

    const retry = await call('POST', '/jobs/:id/retry', retriedJob, jobPath(id, '/retry'));
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ jobId: `${id}~retry-1`, retryOf: id, request: 'SendEmail' });
    const result = await call(
      'GET',
      '/jobs/:id/result',
      jobResult,
      jobPath(retry.body.jobId, '/result?wait=true'),
    );
    expect(result.status).toBe(200);
    expect(result.body.result).toMatchObject({ messageId: expect.any(String) as unknown });
    const again = await call('POST', '/jobs/:id/retry', retriedJob, jobPath(id, '/retry'));
    expect(again.body.jobId).toBe(retry.body.jobId);
    const done = await call('POST', '/jobs/:id/retry', errorBody, jobPath(retry.body.jobId, '/retry'));
    expect(done.status).toBe(409);
    expect(done.body.error.code).toBe('JOB_NOT_RETRYABLE');

    const bulk = await call('POST', '/jobs/retry', bulkRetryResponse, {
      path: '/jobs/retry?request=SendEmail',
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.alreadyRetried).toContainEqual({ id, retryId: retry.body.jobId });
    expect(bulk.body.retried.map((r) => r.id)).not.toContain(id);
    const badStatus = await call('POST', '/jobs/retry', errorBody, {
      path: '/jobs/retry?request=SendEmail&status=running',
    });
    expect(badStatus.status).toBe(400);
  });

  it('every endpoint of the OpenAPI document was called', async () => {
    const doc = openApiDoc.parse(await (await fetch(`${base}/openapi.json`)).json());
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(documented.length).toBeGreaterThanOrEqual(16);
    expect(documented.filter((endpoint) => !called.has(endpoint))).toEqual([]);
  });
});
