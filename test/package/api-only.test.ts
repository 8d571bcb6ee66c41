/**
 * Consumer 3: an API-only process installs the package, `@temporalio/client` and `zod`, nothing else.
 * No worker, webpack, swc or native core bridge may come with it; its `node_modules` stays small; it
 * type-checks with `skipLibCheck: false`; and a job it enqueues runs on a worker of another process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../../src/index.js';
import type { MediatorWorker } from '../../src/worker/create-worker.js';
import { address, testWorker, uniqueQueue } from '../integration/helpers.js';
import { SDK_HIGHEST, TSC, createConsumer, strictTsconfig, treeBytes } from './consumer.js';
import type { Consumer } from './consumer.js';

/** The API-only install size the package promises (issue 14: ≤ 60 MB). */
const MAX_BYTES = 60 * 1024 * 1024;

const Report = defineCommand({
  name: 'ApiOnlyReport',
  input: z.object({ pages: z.number().int() }),
  output: z.object({ rendered: z.number() }),
});

const api = `
import { z } from 'zod';
import { createMediator, defineCommand } from 'temporal-mediator';

const Report = defineCommand({
  name: 'ApiOnlyReport',
  input: z.object({ pages: z.number().int() }),
  output: z.object({ rendered: z.number() }),
});

const mediator = await createMediator({ connection: { address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' } });
const job = await mediator.enqueue(Report, { pages: 7 }, { queue: process.env.QUEUE });
const result: { rendered: number } = await job.result();
await mediator.close();
console.log(JSON.stringify({ id: job.id, result }));
`;

describe('consumer: API-only (temporal-mediator + @temporalio/client + zod)', () => {
  let project: Consumer;
  let worker: MediatorWorker | undefined;
  const queue = uniqueQueue('api-only');

  beforeAll(async () => {
    project = await createConsumer({
      name: 'api-only',
      packageJson: { type: 'module' },
      files: { 'tsconfig.json': strictTsconfig(['src']), 'src/api.ts': api },
      install: [`@temporalio/client@${SDK_HIGHEST}`, 'zod@4', '@types/ms'],
    });
    worker = await testWorker(
      createHandlers().handle(Report, ({ pages }) => ({ rendered: pages })),
      { queues: [queue] },
    );
    void worker.run();
  }, 300_000);

  afterAll(() => {
    worker?.shutdown();
    project?.remove();
  });

  it('installs no worker-side package and stays within 60 MB', () => {
    for (const absent of ['worker', 'core-bridge', 'workflow', 'activity', 'testing']) {
      expect(existsSync(join(project.dir, 'node_modules/@temporalio', absent)), absent).toBe(false);
    }
    for (const absent of ['webpack', '@swc/core', '@opentelemetry/api']) {
      expect(existsSync(join(project.dir, 'node_modules', absent)), absent).toBe(false);
    }
    const bytes = treeBytes(join(project.dir, 'node_modules'));
    console.log(`API-only node_modules: ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    expect(bytes).toBeLessThan(MAX_BYTES);
  });

  it('type-checks with skipLibCheck false and enqueues a job a worker elsewhere runs', async () => {
    expect(
      await project.run(process.execPath, [TSC, '-p', 'tsconfig.json']).catch((e: Error) => e.message),
    ).toBe('');
    const out = await project.node('dist/api.js', { TEMPORAL_ADDRESS: address(), QUEUE: queue });
    const { id, result } = JSON.parse(out.trim()) as { id: string; result: unknown };
    expect(id).toMatch(/^ApiOnlyReport-/);
    expect(result).toEqual({ rendered: 7 });
  }, 120_000);
});
