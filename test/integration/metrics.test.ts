import { createServer } from 'node:net';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { createHandlers, InvalidOptionError } from '../../src/index.js';
import type { Mediator } from '../../src/index.js';
import { MetricsPing, startMetricsWorker } from './fixtures/metrics-worker.js';
import type { MetricsWorker } from './fixtures/metrics-worker.js';
import { address, testMediator, testWorker, uniqueQueue } from './helpers.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let child: MetricsWorker | undefined;
let mediator: Mediator | undefined;

afterAll(async () => {
  await mediator?.close();
  await child?.stop();
});

describe('Prometheus metrics', () => {
  it('refuses metrics once this process created the Runtime without them, naming the fix', async () => {
    // test/integration/setup.ts installed this process's Runtime (with a quiet logger).
    const attempt = testWorker(createHandlers(), {
      queues: [uniqueQueue('metrics')],
      metrics: { prometheus: { bindAddress: '127.0.0.1:1' } },
    });
    await expect(attempt).rejects.toThrow(InvalidOptionError);
    await expect(attempt).rejects.toThrow(/process-global.*installMetrics/);
  });

  it('a worker with metrics serves temporal_ metrics on /metrics after a job ran', async () => {
    const queue = uniqueQueue('metrics');
    const bindAddress = `127.0.0.1:${await freePort()}`;
    child = await startMetricsWorker({
      address: address(),
      queue,
      bundlePath: inject('workflowBundlePath'),
      bindAddress,
    });
    mediator = await testMediator({ defaults: { queue } });
    expect(await mediator.enqueueAsync(MetricsPing, { n: 41 })).toEqual({ pong: 42 });

    const body = await vi.waitFor(
      async () => {
        const res = await fetch(`http://${bindAddress}/metrics`);
        const text = await res.text();
        if (!text.includes('activity_type="MetricsPing"')) throw new Error('no activity metrics yet');
        return text;
      },
      { timeout: 15_000, interval: 250 },
    );
    expect(body).toMatch(/^temporal_/m);
    expect(body).toMatch(/^temporal_activity_execution_latency\w*\{[^}]*activity_type="MetricsPing"/m);
    expect(body).toMatch(/^temporal_workflow_completed\w*\{[^}]*task_queue="[^"]+"/m);
    expect(body).toContain(`task_queue="${queue}"`);
  });
});
