/**
 * The example process: `ROLE=api|worker|both tsx examples/main.ts` (see `examples/config.ts` for
 * every variable). This is what the Docker image runs.
 */
import { errorMessage } from '../src/core/errors.js';
import { startExample } from './start.js';
import type { RunningExample } from './start.js';

let example: RunningExample;
try {
  example = await startExample();
} catch (err) {
  // Bad environment or unreachable server: one readable line; the orchestrator restarts us.
  console.error(`temporal-mediator example failed to start: ${errorMessage(err)}`);
  process.exit(1);
}
const { config } = example;
const parts = [`role=${config.role}`, `temporal=${config.temporalAddress}`];
if (example.url) parts.push(`api=${example.url}`, `swagger=${example.url}/docs`);
if (example.worker) {
  parts.push(`worker=${config.workerName ?? '(pid@host)'}`, `queues=${config.workerQueues.join(',')}`);
  parts.push(`concurrency=${config.maxConcurrentJobs}/queue`);
}
console.log(`temporal-mediator example started: ${parts.join(' ')}`);

// The worker stops itself on SIGINT/SIGTERM (Temporal's runtime handles those signals); the API
// stops with it. An API-only process stops on the signal directly.
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  example.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
example.done.then(
  () => example.worker && stop(),
  (err: unknown) => {
    console.error('worker failed:', err);
    process.exit(1);
  },
);
