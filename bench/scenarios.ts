/**
 * The three scenarios the benchmark compares, on one server, served by one in-process worker with the
 * same settings: the hand-written baseline ("raw"), the mediator, and the mediator's fast lane.
 */
import { Client, Connection } from '@temporalio/client';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { createMediator } from '../src/index.js';
import type { Mediator } from '../src/index.js';
import { consoleLogger } from '../src/core/logger.js';
import { BenchEcho, WORKER_SETTINGS, handlers, rawActivities } from './setup.js';

export const SCENARIOS = ['raw', 'mediator', 'fastLane'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface Scenarios {
  /** One round trip of each scenario: start, run, wait for the result. */
  run: Record<Scenario, () => Promise<unknown>>;
  /** The mediator without its `MediatorRequest` search attribute (shows what indexing it costs). */
  mediatorNoSearchAttribute: () => Promise<unknown>;
  /** What a Temporal user's API process has: a gRPC client connection. */
  client: Client;
  mediator: Mediator;
  close(): Promise<void>;
}

/** Each round runs the scenarios in a rotated order, so drift on the server or machine favours none. */
export function rotated<T>(items: readonly T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

export async function openScenarios(
  address: string,
  bundle: WorkflowBundleWithSourceMap,
  queue = 'bench',
): Promise<Scenarios> {
  const quiet = consoleLogger('warn');
  const native = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: native,
    taskQueue: queue,
    workflowBundle: bundle,
    activities: { ...rawActivities, ...createActivities(handlers, { logger: quiet }) },
    ...WORKER_SETTINGS,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const mediator = await createMediator({ client, logger: quiet, defaults: { queue } });
  const plain = await createMediator({ client, logger: quiet, defaults: { queue }, searchAttributes: false });
  // The fast lane shares the worker's connection so starts can be eager.
  const fast = await createMediator({
    client: new Client({ connection: native }),
    logger: quiet,
    defaults: { queue, fastLane: true },
  });
  let seq = 0;
  const text = 'hello';
  return {
    run: {
      raw: () =>
        client.workflow.execute('rawWorkflow', {
          taskQueue: queue,
          workflowId: `raw-${seq++}`,
          args: [{ text }],
        }),
      mediator: () => mediator.enqueueAsync(BenchEcho, { text }),
      fastLane: () => fast.enqueueAsync(BenchEcho, { text }),
    },
    mediatorNoSearchAttribute: () => plain.enqueueAsync(BenchEcho, { text }),
    client,
    mediator,
    async close() {
      await mediator.close();
      await fast.close();
      worker.shutdown();
      await running;
      await connection.close();
      await native.close();
    },
  };
}
