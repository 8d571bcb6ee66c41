/**
 * Any job by id, from any process: status, result, cancellation (`mediator.job(id)`).
 */
import type { FastifyInstance } from 'fastify';
import type { JobDescription } from '../../../src/index.js';
import type { RouteDeps } from '../app.js';
import { errorBody, jobIdParams, jobResult, jobStatus, openapi, parse, resultQuery } from '../schemas.js';

const params = openapi(jobIdParams, 'input');
const notFound = { 404: openapi(errorBody) };

function toStatusBody(d: JobDescription) {
  return {
    id: d.id,
    request: d.request ?? null,
    status: d.status,
    queue: d.queue,
    description: d.description ?? null,
    startTime: d.startTime.toISOString(),
    executionTime: d.executionTime?.toISOString() ?? null,
    closeTime: d.closeTime?.toISOString() ?? null,
  };
}

const unfinished = new Set(['scheduled', 'running']);

/** How long `wait=true` holds the request before answering 202 (under common client timeouts). */
export const RESULT_WAIT_MS = 8000;

/** What the wait resolves to when the job is still running after {@link RESULT_WAIT_MS}. */
const pending = Symbol('pending');

export function jobRoutes(app: FastifyInstance, { mediator }: RouteDeps): void {
  app.get(
    '/jobs/:id',
    {
      schema: {
        tags: ['job status'],
        summary: 'Status of a job',
        params,
        response: { 200: openapi(jobStatus), ...notFound },
      },
    },
    async (request) => {
      const { id } = parse(jobIdParams, request.params);
      return toStatusBody(await mediator.job(id).describe());
    },
  );

  app.get(
    '/jobs/:id/result',
    {
      schema: {
        tags: ['job status'],
        summary: 'Result of a job',
        description:
          '200 with the result once completed; 202 while it is scheduled or running. `wait=true` waits for the ' +
          `result up to ${RESULT_WAIT_MS / 1000} s first (then 202 if it is still running). ` +
          'A failed job answers with its error: 502 (handler failed), 409 (cancelled), 504 (timed out).',
        params,
        querystring: openapi(resultQuery, 'input'),
        response: {
          200: openapi(jobResult),
          202: openapi(jobResult),
          ...notFound,
          409: openapi(errorBody),
          502: openapi(errorBody),
          504: openapi(errorBody),
        },
      },
    },
    async (request, reply) => {
      const { id } = parse(jobIdParams, request.params);
      const { wait } = parse(resultQuery, request.query);
      const job = mediator.job(id);
      if (wait) {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<typeof pending>(
          (resolve) => (timer = setTimeout(() => resolve(pending), RESULT_WAIT_MS)),
        );
        const result = await Promise.race([job.result(), late]).finally(() => clearTimeout(timer));
        if (result !== pending) return { id, status: 'completed', result };
      }
      const status = await job.status();
      if (unfinished.has(status)) return reply.code(202).send({ id, status });
      return { id, status: 'completed', result: await job.result() };
    },
  );

  app.post(
    '/jobs/:id/cancel',
    {
      schema: {
        tags: ['job status'],
        summary: 'Cancel a job',
        description:
          'Requests cancellation: a running handler sees its abort signal; a scheduled job never runs. The status turns `cancelled` once the server has applied it (shortly after for a scheduled job).',
        params,
        response: { 202: openapi(jobStatus), ...notFound },
      },
    },
    async (request, reply) => {
      const { id } = parse(jobIdParams, request.params);
      const job = mediator.job(id);
      await job.cancel();
      return reply.code(202).send(toStatusBody(await job.describe()));
    },
  );
}
