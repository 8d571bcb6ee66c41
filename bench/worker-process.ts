/**
 * A benchmark worker in its own process: `node --import tsx bench/worker-process.ts <address> <queue> [bundlePath]`.
 * Prints `ready` once polling; stops on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { consoleLogger } from '../src/core/logger.js';
import { WORKER_SETTINGS, handlers, rawActivities } from './setup.js';

const [address, taskQueue, bundlePath] = process.argv.slice(2);
Runtime.install({ logger: new DefaultLogger('WARN') });
const connection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection,
  taskQueue: taskQueue ?? 'bench',
  workflowBundle: { code: readFileSync(bundlePath ?? '', 'utf8') },
  activities: { ...rawActivities, ...createActivities(handlers, { logger: consoleLogger('warn') }) },
  ...WORKER_SETTINGS,
});
const running = worker.run();
console.log('ready');
await running;
await connection.close();
