/**
 * The example HTTP API: Fastify, an OpenAPI document at `/openapi.json` and a Swagger UI at
 * `/docs`. It uses only the mediator's public API, so it runs API-only (no handlers) or next to a
 * worker in the same process.
 */
import fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Mediator } from '../../src/index.js';
import { toHttpError } from './errors.js';
import type { StressTestLimits } from './schemas.js';
import { MAX_ID_LENGTH } from './schemas.js';
import { completeDocument } from './openapi.js';
import { basicRoutes } from './routes/basic.js';
import { distributedRoutes } from './routes/distributed.js';
import { jobRoutes } from './routes/jobs.js';
import { operationRoutes } from './routes/operations.js';
import { recurringRoutes } from './routes/recurring.js';

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** The mediator jobs are dispatched with (handlers are not needed: the API only dispatches). */
  mediator: Mediator;
  /** Fastify's request log. @default false */
  logger?: boolean;
  /** Bounds of `POST /distributed/stress-test` (the document shows them). @default { maxJobs: 1000, maxWorkMs: 5000 } */
  stressTest?: Partial<StressTestLimits>;
}

/** What routes receive. */
export interface RouteDeps {
  mediator: Mediator;
  stressTest: StressTestLimits;
}

/**
 * Builds the API (not listening yet: call `app.listen({ port })`, or `app.inject()` in tests).
 *
 * @example
 * const app = await buildApp({ mediator: await createMediator({ connection: { address } }) });
 * await app.listen({ port: 3000 });
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  // `__proto__` / `constructor.prototype` keys are dropped from bodies (not a 400): the schemas allow
  // unknown fields, and these are never used.
  const app = fastify({
    logger: options.logger ?? false,
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    // Ids up to MAX_ID_LENGTH characters, percent-encoded (at most 12 bytes per character). Under
    // `routerOptions`: the top-level option is deprecated (Fastify warns FSTDEP022 on every start).
    routerOptions: { maxParamLength: MAX_ID_LENGTH * 12 },
  });
  // The route schemas document the API; validation is the contracts' job (the mediator checks each
  // input against its zod schema and reports the issues), so Fastify's own validator and
  // schema-based serialiser are switched off rather than checking a second, drifting copy.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler((err, _request, reply) => {
    const { status, body } = toHttpError(err);
    if (status >= 500) app.log.error(err);
    return reply.code(status).send(body);
  });

  await app.register(swagger, {
    transformObject: (doc) =>
      'openapiObject' in doc ? completeDocument(doc.openapiObject) : doc.swaggerObject,
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'temporal-mediator example API',
        version: '0.1.0',
        description:
          'Typed requests dispatched as durable background jobs on Temporal: fire-and-forget, with results, ' +
          'delayed, recurring, and the distributed demo. Jobs are visible in the Temporal Web UI.',
      },
      tags: [
        { name: 'jobs', description: 'Background jobs of each kind' },
        { name: 'job status', description: 'Status, result and cancellation of any job, by id' },
        { name: 'operations', description: 'Find jobs by request and status, retry failed ones' },
        { name: 'recurring', description: 'Recurring (cron) jobs' },
        { name: 'distributed', description: 'The distributed demo: queues, workers and load' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const deps: RouteDeps = {
    mediator: options.mediator,
    stressTest: { maxJobs: 1000, maxWorkMs: 5000, ...options.stressTest },
  };
  app.get('/health', { schema: { hide: true } }, () => ({ status: 'ok' }));
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  basicRoutes(app, deps);
  jobRoutes(app, deps);
  operationRoutes(app, deps);
  recurringRoutes(app, deps);
  distributedRoutes(app, deps);
  return app;
}
