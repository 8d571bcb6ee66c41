/**
 * Starts the example in the role its configuration names: the HTTP API, a worker, or both.
 */
import type { FastifyInstance } from 'fastify';
import { createMediator } from '../src/index.js';
import { createWorker } from '../src/worker-entry.js';
// Internal: the example runs from source, so it bundles the workflows module next to it.
import { workflowsPath } from '../src/worker/create-worker.js';
import type { Mediator } from '../src/index.js';
import type { MediatorWorker, WorkerOptions } from '../src/worker-entry.js';
import { buildApp } from './api/app.js';
import { readConfig } from './config.js';
import type { ExampleConfig } from './config.js';
import { createExampleHandlers } from './handlers.js';

/** The mediator's workflow code, bundled without webpack's module listing in the log. */
async function quietWorkflowBundle(): Promise<{ code: string }> {
  const { bundleWorkflowCode, DefaultLogger } = await import('@temporalio/worker');
  return bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: new DefaultLogger('WARN') });
}

/** Options of {@link startExample}. */
export interface StartExampleOptions {
  /** Overrides of the configuration read from the environment. @default readConfig() */
  config?: Partial<ExampleConfig>;
  /** Extra worker options (e.g. a prebuilt `workflowBundle`, a `logger`). @default {} */
  worker?: Partial<Omit<WorkerOptions, 'handlers'>>;
  /** Fastify's request log. @default false */
  httpLog?: boolean;
}

/** A running example process. */
export interface RunningExample {
  config: ExampleConfig;
  mediator: Mediator;
  /** The API's base URL, when the role runs the API. */
  url: string | undefined;
  app: FastifyInstance | undefined;
  worker: MediatorWorker | undefined;
  /** Resolves when the worker stops (after `close()` or a shutdown signal). */
  done: Promise<void>;
  /** Stops the API and the worker (running handlers get the shutdown grace time), closes the connection. */
  close(): Promise<void>;
}

/**
 * Starts the API, a worker, or both, as `config.role` says.
 *
 * @example
 * const example = await startExample({ config: { role: 'api', port: 0 } });
 * console.log(example.url);
 */
export async function startExample(options: StartExampleOptions = {}): Promise<RunningExample> {
  const config = { ...readConfig(), ...options.config };
  const runsApi = config.role !== 'worker';
  const runsWorker = config.role !== 'api';
  const connection = { address: config.temporalAddress };
  // An API-only mediator has no handlers: it dispatches jobs and never loads worker code.
  const mediator = await createMediator({ connection, namespace: config.namespace });
  let worker: MediatorWorker | undefined;
  let done: Promise<void> = Promise.resolve();
  if (runsWorker) {
    worker = await createWorker({
      connection,
      namespace: config.namespace,
      handlers: createExampleHandlers({ workerName: config.workerName }),
      queues: config.workerQueues,
      concurrency: config.maxConcurrentJobs,
      ...(config.workerName ? { identity: config.workerName } : {}),
      ...options.worker,
      workflowBundle: options.worker?.workflowBundle ?? (await quietWorkflowBundle()),
    });
    done = worker.run();
  }
  let app: FastifyInstance | undefined;
  let url: string | undefined;
  if (runsApi) {
    app = await buildApp({ mediator, logger: options.httpLog ?? false });
    url = await app.listen({ port: config.port, host: config.host });
    // `0.0.0.0` is where it listens, not an address to browse to.
    url = url.replace('://0.0.0.0', '://localhost').replace('://[::]', '://localhost');
  }
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app?.close();
      worker?.shutdown();
      await done.catch(() => undefined);
      await mediator.close();
    })());
  return { config, mediator, url, app, worker, done, close };
}
