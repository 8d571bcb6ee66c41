/**
 * Consumer 2: an existing Temporal service at the lowest supported SDK version, with its own Worker
 * and its own workflow. It adds the mediator the documented way: `createActivities(handlers)` among
 * its activities and `executeRequest` re-exported from its workflows module. The SDK must stay one
 * copy (one native core bridge), and both its own workflow and a mediator job must complete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address, uniqueQueue } from '../integration/helpers.js';
import { SDK_LOWEST, createConsumer } from './consumer.js';
import type { Consumer } from './consumer.js';

const workflows = `
import { proxyActivities } from '@temporalio/workflow';
export { executeRequest } from 'temporal-mediator/workflows';

const { shout } = proxyActivities({ startToCloseTimeout: '10s' });

/** The service's own workflow, untouched by the mediator. */
export async function ownWorkflow(name) {
  return shout(name);
}
`;

const worker = `
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { z } from 'zod';
import { createHandlers, createMediator, defineCommand } from 'temporal-mediator';
import { createActivities } from 'temporal-mediator/worker';

const Invoice = defineCommand({
  name: 'ServiceInvoice',
  input: z.object({ amount: z.number().positive() }),
  output: z.object({ total: z.number() }),
});
const handlers = createHandlers().handle(Invoice, async ({ amount }) => ({ total: amount * 2 }));

const address = process.env.TEMPORAL_ADDRESS;
const taskQueue = process.env.QUEUE;
const nativeConnection = await NativeConnection.connect({ address });
const w = await Worker.create({
  connection: nativeConnection,
  taskQueue,
  workflowsPath: fileURLToPath(new URL('./workflows.js', import.meta.url)),
  activities: { shout: async (name) => name.toUpperCase(), ...createActivities(handlers) },
});
const connection = await Connection.connect({ address });
const client = new Client({ connection });
const mediator = await createMediator({ client });
const out = await w.runUntil(async () => ({
  own: await client.workflow.execute('ownWorkflow', { taskQueue, workflowId: 'own-' + taskQueue, args: ['grace'] }),
  job: await mediator.enqueueAsync(Invoice, { amount: 21 }, { queue: taskQueue }),
}));
await connection.close();
await nativeConnection.close();
console.log(JSON.stringify(out));
`;

describe(`consumer: an existing Temporal service on SDK ${SDK_LOWEST}`, () => {
  let project: Consumer;

  beforeAll(async () => {
    project = await createConsumer({
      name: 'existing-service',
      packageJson: { type: 'module' },
      files: { 'workflows.js': workflows, 'worker.js': worker },
      install: ['client', 'common', 'worker', 'workflow', 'activity']
        .map((p) => `@temporalio/${p}@${SDK_LOWEST}`)
        .concat('zod@4.0.0'),
    });
  }, 300_000);

  afterAll(() => project?.remove());

  it('keeps one copy of the SDK and its native core bridge', async () => {
    const ls = await project.run('npm', [
      'ls',
      '--all',
      '--parseable',
      '@temporalio/core-bridge',
      '@temporalio/client',
    ]);
    const paths = ls
      .trim()
      .split('\n')
      .filter((p) => /node_modules\/@temporalio\/(core-bridge|client)$/.test(p));
    expect(paths.map((p) => p.replace(project.dir, '').replace(/^\//, '')).sort()).toEqual([
      'node_modules/@temporalio/client',
      'node_modules/@temporalio/core-bridge',
    ]);
    const version = await project.run('node', [
      '-p',
      "require('@temporalio/core-bridge/package.json').version",
    ]);
    expect(version.trim()).toBe(SDK_LOWEST);
  }, 60_000);

  it("runs the service's own workflow and a mediator job on the service's Worker", async () => {
    const out = await project.node('worker.js', { TEMPORAL_ADDRESS: address(), QUEUE: uniqueQueue('svc') });
    expect(JSON.parse(out.trim().split('\n').pop() ?? '{}')).toEqual({ own: 'GRACE', job: { total: 42 } });
  }, 180_000);
});
