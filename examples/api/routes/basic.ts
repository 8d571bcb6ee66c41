/**
 * One endpoint per kind of job: fire-and-forget, with its result, long-running, delayed.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { CreateUser, GenerateReport, SendEmail, SendReminder, UserCreated } from '../../contracts.js';
import type { RouteDeps } from '../app.js';
import {
  accepted,
  acceptedJob,
  contractInput,
  errorBody,
  openapi,
  scheduledJob,
  userWithResult,
} from '../schemas.js';

/** How long the reminder waits. */
export const REMINDER_DELAY = '24h';
const REMINDER_DELAY_MS = 24 * 60 * 60 * 1000;

const errors = { 400: openapi(errorBody), 503: openapi(errorBody) };
const acceptedResponse = { 202: openapi(acceptedJob), ...errors };

export function basicRoutes(app: FastifyInstance, { mediator }: RouteDeps): void {
  app.post(
    '/users',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Create a user (fire-and-forget)',
        description: 'Enqueues `CreateUser` on the `critical` queue and answers once the server accepted it.',
        body: openapi(CreateUser.input, 'input'),
        response: acceptedResponse,
      },
    },
    async (request, reply) => {
      const job = await mediator.enqueue(CreateUser, contractInput(CreateUser, request.body), {
        description: 'Create user (API)',
      });
      return reply.code(202).send(accepted(job));
    },
  );

  app.post(
    '/users/with-result',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Create a user and wait for the result',
        description:
          '`enqueueAsync`: runs `CreateUser` on a worker and returns its typed result, then publishes ' +
          '`UserCreated` durably (`enqueuePublish`).',
        body: openapi(CreateUser.input, 'input'),
        response: { 201: openapi(userWithResult), ...errors, 502: openapi(errorBody) },
      },
    },
    async (request, reply) => {
      const jobId = `CreateUser-${randomUUID()}`;
      const user = await mediator.enqueueAsync(CreateUser, contractInput(CreateUser, request.body), {
        jobId,
      });
      const welcome = await mediator.enqueuePublish(UserCreated, { userId: user.userId, email: user.email });
      return reply.code(201).send({ user, jobId, welcomeJobId: welcome.id });
    },
  );

  app.post(
    '/emails',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Send an email (retried with backoff)',
        description: 'The example mailer fails the first attempt; the job succeeds on the second.',
        body: openapi(SendEmail.input, 'input'),
        response: acceptedResponse,
      },
    },
    async (request, reply) => {
      const job = await mediator.enqueue(SendEmail, contractInput(SendEmail, request.body));
      return reply.code(202).send(accepted(job));
    },
  );

  app.post(
    '/reports',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Generate a report (long-running)',
        description:
          'Runs on the `reports` queue; the handler logs one console line per page (worker log, with job context).',
        body: openapi(GenerateReport.input, 'input'),
        response: acceptedResponse,
      },
    },
    async (request, reply) => {
      const job = await mediator.enqueue(GenerateReport, contractInput(GenerateReport, request.body));
      return reply.code(202).send(accepted(job));
    },
  );

  app.post(
    '/reminders',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Schedule a reminder 24 h from now',
        description:
          '`schedule(..., { delay: "24h" })`: the job shows as `scheduled` until then; cancel it with `POST /jobs/{id}/cancel`.',
        body: openapi(SendReminder.input, 'input'),
        response: { 202: openapi(scheduledJob), ...errors },
      },
    },
    async (request, reply) => {
      const runAt = new Date(Date.now() + REMINDER_DELAY_MS).toISOString();
      const job = await mediator.schedule(SendReminder, contractInput(SendReminder, request.body), {
        delay: REMINDER_DELAY,
      });
      return reply.code(202).send({ ...accepted(job), runAt });
    },
  );
}
