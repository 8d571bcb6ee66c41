/**
 * `temporal-mediator/worker`: run handlers. `createWorker` for a worker of its own, or
 * `createActivities` + `executeRequest` (from `temporal-mediator/workflows`) inside your own Worker.
 * Needs the peer `@temporalio/worker` (and `@temporalio/activity`, `@temporalio/workflow`).
 */
export { createWorker, bundleMediatorWorkflows } from './worker.js';
export type { MediatorWorker, QueueOptions, WorkerOptions } from './worker.js';
export { createActivities } from '../activities/index.js';
export type { ActivitiesOptions } from '../activities/index.js';
export type { ConsoleOptions } from '../activities/console.js';
export { installMetrics } from './metrics.js';
export type { MetricsOptions, PrometheusOptions } from './metrics.js';
export { otelWorkflowInterceptorsPath } from './telemetry.js';
