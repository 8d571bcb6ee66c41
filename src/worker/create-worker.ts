import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { NativeConnection, Worker as TemporalWorker, WorkflowBundle } from '@temporalio/worker';
import type { ActivitiesOptions } from '../../activities/index.js';
import type { ConsoleOptions } from '../../activities/console.js';
import type { Duration } from '../core/durations.js';
import { toMs } from '../core/durations.js';
import type { EncryptionOptions } from '../security/codec.js';
import { withEncryption } from '../security/codec.js';
import { connectionError, toConnectArgs } from '../client/connection-options.js';
import { InvalidOptionError } from '../core/errors.js';
import type { ValidateOptions } from '../contracts/execute.js';
import type { Logger } from '../core/logger.js';
import { consoleLogger } from '../core/logger.js';
import { installMetrics } from '../observability/metrics.js';
import type { MetricsOptions } from '../observability/metrics.js';
import { otelWorkflowInterceptorsPath } from '../observability/telemetry.js';
import { telemetryWorkerOptions } from './telemetry.js';
import type { TelemetryOptions } from '../observability/telemetry.js';
import type { ConnectionOptions } from '../dispatch/options.js';
import type { Handlers } from '../contracts/registry.js';
import { DEFAULT_QUEUE } from '../dispatch/options.js';

/** A task queue a worker serves, with its own concurrency. */
export interface QueueOptions {
  name: string;
  /** Max concurrent handler executions on this queue in this process. @default the worker's `concurrency` */
  concurrency?: number;
  /**
   * Temporal's worker-sent queue rate limit: handler runs per second on this queue, all workers
   * together; each worker sends it with its polls and the last poller's value wins. Prefer the
   * server-side `mediator.queue(name).setRateLimit()`, set once for every worker.
   * @default none
   */
  maxTaskQueueActivitiesPerSecond?: number;
}

/** Options of {@link createWorker}. */
export interface WorkerOptions {
  /** The handlers this worker runs. */
  handlers: Handlers;
  /** Connect with these options. @default { address: 'localhost:7233' } unless `nativeConnection` is given */
  connection?: ConnectionOptions;
  /** Use an existing worker connection (stays yours to close). @default none */
  nativeConnection?: NativeConnection;
  /** Temporal namespace. @default 'default' */
  namespace?: string;
  /** Task queues served, by name or with their own concurrency. @default ['default'] */
  queues?: (string | QueueOptions)[];
  /** Max concurrent handler executions per queue. @default 10 */
  concurrency?: number;
  /** On shutdown (SIGTERM/SIGINT or `shutdown()`), how long running handlers may take to finish. @default '30s' */
  shutdownGraceTime?: Duration;
  /** Prebuilt workflow bundle (e.g. built once in a test's global setup). @default bundled once per process */
  workflowBundle?: WorkflowBundle;
  /** Handler log lines, with job context. @default consoleLogger() */
  logger?: Logger;
  /** Which schemas the worker checks. @default { input: true, output: true } */
  validate?: ValidateOptions;
  /** Worker identity shown in the Web UI and CLI. @default Temporal's `pid@hostname` */
  identity?: string;
  /** How often running handlers heartbeat, so a dead worker's jobs are retried quickly. @default '1s' */
  heartbeatInterval?: Duration;
  /** @deprecated use `heartbeatInterval` (a Duration; a number there is milliseconds too) */
  heartbeatIntervalMs?: number;
  /** The per-job console (`ctx.log` lines shipped to the job). @default { enabled: true } */
  console?: ConsoleOptions;
  /**
   * Encrypt payloads (AES-256-GCM, key id in the metadata): give the same keys as the mediator's.
   * Appended to `dataConverter`'s codecs. @default none (payloads in plain JSON)
   */
  encryption?: EncryptionOptions;
  /** Data converter (payload codecs; a custom payload converter must be in the workflow bundle). @default Temporal's default */
  dataConverter?: DataConverter;
  /**
   * OpenTelemetry tracing: handler spans (`RunActivity:<request>`) and workflow spans, continuing the
   * trace started at `enqueue`. The workflow bundle must carry the tracing interceptors: the default
   * bundle does; a prebuilt `workflowBundle` must come from `bundleMediatorWorkflows({ telemetry: true })`.
   * @default none (no tracing)
   */
  telemetry?: TelemetryOptions;
  /**
   * Temporal's worker metrics, e.g. `{ prometheus: { bindAddress: '0.0.0.0:9464' } }` serves
   * `/metrics`. They come from the SDK's process-global Runtime, installed here before the worker
   * connects; if this process already created the Runtime (another worker, a `NativeConnection`,
   * `Runtime.install`) without the same metrics, this throws: then call `installMetrics` at process
   * start. @default none (no metrics exported)
   */
  metrics?: MetricsOptions;
}

/** A running set of Temporal workers, one per queue, sharing one connection. */
export interface MediatorWorker {
  /** The queues served. */
  readonly queues: string[];
  /**
   * The worker's connection. A mediator whose client uses it (`new Client({ connection })`) can start
   * fast-lane jobs eagerly on this worker.
   */
  readonly connection: NativeConnection;
  /** Polls until `shutdown()` or a shutdown signal. */
  run(): Promise<void>;
  /** Runs until the promise settles, then shuts down and returns (or throws) its outcome. */
  runUntil<T>(promise: Promise<T> | (() => Promise<T>)): Promise<T>;
  /** Stops polling; running handlers get `shutdownGraceTime` to finish. */
  shutdown(): void;
}

const bundles = new Map<string, Promise<WorkflowBundle>>();

/** The path of the package's workflows module (source under tsx/vitest, compiled JS otherwise). */
export function workflowsPath(): string {
  const js = fileURLToPath(new URL('../../workflows/index.js', import.meta.url));
  return existsSync(js) ? js : js.replace(/\.js$/, '.ts');
}

/**
 * Bundles the mediator's workflow code once per process; `{ telemetry: true }` adds the OpenTelemetry
 * workflow interceptors (for workers with `telemetry`).
 */
export function bundleMediatorWorkflows(options: { telemetry?: boolean } = {}): Promise<WorkflowBundle> {
  const path = workflowsPath();
  const key = options.telemetry ? `${path}#telemetry` : path;
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = import('@temporalio/worker').then(({ bundleWorkflowCode }) =>
      bundleWorkflowCode({
        workflowsPath: path,
        ...(options.telemetry ? { workflowInterceptorModules: [otelWorkflowInterceptorsPath()] } : {}),
      }),
    );
    bundles.set(key, bundle);
  }
  return bundle;
}

function normaliseQueues(
  options: WorkerOptions,
): (Required<Omit<QueueOptions, 'maxTaskQueueActivitiesPerSecond'>> &
  Pick<QueueOptions, 'maxTaskQueueActivitiesPerSecond'>)[] {
  const concurrency = options.concurrency ?? 10;
  const queues = (options.queues ?? [DEFAULT_QUEUE]).map((q) => (typeof q === 'string' ? { name: q } : q));
  if (!queues.length) throw new InvalidOptionError('queues', 'give at least one task queue');
  const seen = new Set<string>();
  return queues.map((q) => {
    if (typeof q.name !== 'string' || !q.name.trim())
      throw new InvalidOptionError('queues', 'queue names must be non-empty strings');
    if (seen.has(q.name)) throw new InvalidOptionError('queues', `queue '${q.name}' is listed twice`);
    seen.add(q.name);
    const c = q.concurrency ?? concurrency;
    if (!Number.isInteger(c) || c < 1)
      throw new InvalidOptionError('concurrency', `must be an integer >= 1 (queue '${q.name}')`);
    return {
      name: q.name,
      concurrency: c,
      maxTaskQueueActivitiesPerSecond: q.maxTaskQueueActivitiesPerSecond,
    };
  });
}

/**
 * Creates a worker process serving one or more task queues with the given handlers. The Temporal
 * worker package is loaded here, so API-only processes never load it.
 *
 * @example
 * const worker = await createWorker({ connection: { address: 'localhost:7233' }, handlers, queues: ['critical', 'default'], concurrency: 20 });
 * await worker.run();
 */
export async function createWorker(options: WorkerOptions): Promise<MediatorWorker> {
  const queues = normaliseQueues(options);
  const dataConverter = withEncryption(options.dataConverter, options.encryption);
  const shutdownGraceTime = toMs(options.shutdownGraceTime ?? '30s', 'shutdownGraceTime');
  // The Runtime is process-global and created by the first connection: metrics go in before it.
  if (options.metrics) await installMetrics(options.metrics);
  const { NativeConnection, Worker } = await import('@temporalio/worker');
  const { createActivities } = await import('../../activities/index.js');
  let connection = options.nativeConnection;
  const ownsConnection = !connection;
  if (!connection) {
    const c = options.connection ?? {};
    try {
      connection = await NativeConnection.connect(toConnectArgs(c));
    } catch (err) {
      throw connectionError(c, err);
    }
  }
  const activityOptions: ActivitiesOptions = {
    logger: options.logger,
    validate: options.validate,
    heartbeatInterval: options.heartbeatInterval ?? options.heartbeatIntervalMs,
    console: options.console,
    // This worker runs mediator jobs only: an unknown activity type is a request without a handler here.
    defaultActivity: true,
  };
  const activities = createActivities(options.handlers, activityOptions);
  const telemetry = options.telemetry
    ? await telemetryWorkerOptions(options.telemetry, {
        logger: options.logger ?? consoleLogger(),
        workflowBundle: options.workflowBundle,
      })
    : undefined;
  const workflowBundle =
    options.workflowBundle ?? (await bundleMediatorWorkflows({ telemetry: !!options.telemetry }));
  const workers: TemporalWorker[] = await Promise.all(
    queues.map((q) =>
      Worker.create({
        connection,
        namespace: options.namespace ?? 'default',
        taskQueue: q.name,
        workflowBundle,
        activities,
        ...(options.identity ? { identity: options.identity } : {}),
        ...(dataConverter ? { dataConverter } : {}),
        ...(telemetry ? { interceptors: telemetry.interceptors, sinks: telemetry.sinks } : {}),
        maxConcurrentActivityTaskExecutions: q.concurrency,
        ...(q.maxTaskQueueActivitiesPerSecond === undefined
          ? {}
          : { maxTaskQueueActivitiesPerSecond: q.maxTaskQueueActivitiesPerSecond }),
        maxConcurrentLocalActivityExecutions: Math.max(10, q.concurrency),
        shutdownGraceTime,
        // Cancellation and dead-worker detection arrive through heartbeats: keep them frequent.
        maxHeartbeatThrottleInterval: '2s',
        defaultHeartbeatThrottleInterval: '1s',
      }),
    ),
  );
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    if (stopped)
      return Promise.reject(
        new InvalidOptionError('run', 'this worker has stopped; create a new one with createWorker'),
      );
    running ??= Promise.all(workers.map((w) => w.run())).then(
      async () => {
        stopped = true;
        if (ownsConnection) await connection.close();
      },
      async (err: unknown) => {
        stopped = true;
        for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
        if (ownsConnection) await connection.close().catch(() => undefined);
        throw err;
      },
    );
    return running;
  };
  const shutdown = () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  };
  return {
    queues: queues.map((q) => q.name),
    connection,
    run,
    shutdown,
    async runUntil<T>(promise: Promise<T> | (() => Promise<T>)): Promise<T> {
      const done = run();
      const outcome = typeof promise === 'function' ? promise() : promise;
      const stopped = done.then(() =>
        Promise.reject(new Error("worker stopped before runUntil's promise settled")),
      );
      stopped.catch(() => undefined);
      try {
        return await Promise.race([outcome, stopped]);
      } finally {
        shutdown();
        await done;
      }
    },
  };
}
