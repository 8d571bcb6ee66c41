/**
 * Operating jobs (the .NET dashboard's "retry failed jobs"): list them by request and status
 * (`mediator.jobs()`), retry one (`job(id).retry()`) and retry every failed one (`retryJobs()`).
 */
import type { FastifyInstance } from 'fastify';
import type { JobSummary } from '../../../src/index.js';
import type { RouteDeps } from '../app.js';
import {
  bulkRetryQuery,
  bulkRetryResponse,
  errorBody,
  jobIdParams,
  jobList,
  jobListQuery,
  openapi,
  parse,
  retriedJob,
} from '../schemas.js';
import type { JobListBody } from '../schemas.js';

const errors = { 400: openapi(errorBody), 503: openapi(errorBody) };

function toListItem(j: JobSummary): JobListBody['jobs'][number] {
  return {
    id: j.id,
    request: j.request ?? null,
    status: j.status,
    queue: j.queue,
    startTime: j.startTime.toISOString(),
    closeTime: j.closeTime?.toISOString() ?? null,
    retryOf: j.retryOf ?? null,
  };
}

export function operationRoutes(app: FastifyInstance, { mediator }: RouteDeps): void {
  app.get(
    '/jobs',
    {
      schema: {
        tags: ['operations'],
        summary: 'List jobs by request and status',
        description:
          '`mediator.jobs({ request, status })`: newest first, at most `limit`; `count` is every match (`countJobs`). ' +
          'From Temporal visibility, so a job shows up shortly after it starts or closes.',
        querystring: openapi(jobListQuery, 'input'),
        response: { 200: openapi(jobList), ...errors },
      },
    },
    async (request) => {
      const { request: name, status, limit } = parse(jobListQuery, request.query);
      const filter = { ...(name ? { request: name } : {}), ...(status ? { status } : {}) };
      const jobs: JobListBody['jobs'] = [];
      for await (const j of mediator.jobs(filter, { limit, pageSize: limit })) jobs.push(toListItem(j));
      return { count: await mediator.countJobs(filter), jobs };
    },
  );

  app.post(
    '/jobs/:id/retry',
    {
      schema: {
        tags: ['operations'],
        summary: 'Retry a failed job',
        description:
          '`job(id).retry()`: runs a failed, cancelled, terminated or timed-out job again with the same input, as a new job ' +
          '`<id>~retry-<n>` linked to it; the original stays. Idempotent (a job already retried answers its retry). ' +
          '409 for a running, scheduled or completed job.',
        params: openapi(jobIdParams, 'input'),
        response: { 202: openapi(retriedJob), ...errors, 404: openapi(errorBody), 409: openapi(errorBody) },
      },
    },
    async (request, reply) => {
      const { id } = parse(jobIdParams, request.params);
      const retry = await mediator.job(id).retry();
      const path = `/jobs/${encodeURIComponent(retry.id)}`;
      return reply.code(202).send({
        jobId: retry.id,
        retryOf: id,
        request: retry.request ?? null,
        statusUrl: path,
        resultUrl: `${path}/result`,
      });
    },
  );

  app.post(
    '/jobs/retry',
    {
      schema: {
        tags: ['operations'],
        summary: 'Retry every failed job of a request',
        description:
          '`retryJobs({ request, status }, { dryRun })`: each matching job is retried once (see `POST /jobs/{id}/retry`); ' +
          'jobs retried before are listed in `alreadyRetried`. `dryRun=true` only counts.',
        querystring: openapi(bulkRetryQuery, 'input'),
        response: { 200: openapi(bulkRetryResponse), ...errors },
      },
    },
    async (request) => {
      const { request: name, status, dryRun, limit } = parse(bulkRetryQuery, request.query);
      const result = await mediator.retryJobs({ request: name, status }, { dryRun, limit });
      return { ...result, errors: result.errors.map((e) => ({ id: e.id, message: e.error.message })) };
    },
  );
}
