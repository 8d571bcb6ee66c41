/**
 * `temporal-mediator/worker`: run handlers. `createWorker` for a worker of its own, or
 * `createActivities` + `executeRequest` (from `temporal-mediator/workflows`) inside your own Worker.
 * Needs the peer `@temporalio/worker` (and `@temporalio/activity`, `@temporalio/workflow`).
 */
export { createWorker, bundleMediatorWorkflows } from './worker/create-worker.js';
export type { MediatorWorker, QueueOptions, WorkerOptions } from './worker/create-worker.js';
export { createActivities } from '../activities/index.js';
export type { ActivitiesOptions } from '../activities/index.js';
export type { ConsoleOptions } from '../activities/console.js';
export { installMetrics } from './observability/metrics.js';
export type { MetricsOptions, PrometheusOptions } from './observability/metrics.js';
export { otelWorkflowInterceptorsPath } from './observability/telemetry.js';
