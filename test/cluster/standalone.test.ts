/**
 * The standalone lane end to end on Temporal 1.32 (`activity.enableStandalone`): what the contract
 * suite (test/contract/temporal-standalone.test.ts) cannot see from the mediator's API alone — that
 * the job really is one standalone activity carrying the request's options, that another process
 * finds it by id, how ids meet the workflow lane, what cannot run standalone, and encryption.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ContractVersionError, createHandlers, defineCommand, defineNotification } from '../../src/index.js';
import type { Mediator } from '../../src/index.js';
import { address, testMediator, testWorker, uniqueQueue } from '../integration/helpers.js';
import { rejection } from '../contract/suite.js';

const Stamp = defineCommand({
  name: 'SaStamp',
  input: z.object({ text: z.string().min(1) }),
  output: z.object({ text: z.string(), at: z.date(), attempt: z.number() }),
  retry: { maximumAttempts: 4, initialInterval: '150ms', backoffCoefficient: 3 },
  timeout: '20s',
  heartbeatTimeout: '7s',
});
const StampV2 = defineCommand({ ...Stamp, version: 2 });
const Other = defineCommand({ name: 'SaOther', input: z.object({}), output: z.object({}) });
const Announced = defineNotification({ name: 'SaAnnounced', input: z.object({ text: z.string() }) });

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup(extra: { encryption?: { keys: Record<string, string>; activeKeyId: string } } = {}) {
  const queue = uniqueQueue('sa');
  const calls: { text: string; jobId: string; attempt: number }[] = [];
  const handlers = createHandlers()
    .handle(Stamp, (input, ctx) => {
      calls.push({ text: input.text, jobId: ctx.jobId ?? '', attempt: ctx.attempt ?? 0 });
      ctx.log.info(`stamping ${input.text}`);
      return { text: input.text, at: new Date(Date.UTC(2030, 0, 1)), attempt: ctx.attempt ?? 0 };
    })
    .handle(Other, () => ({}))
    .on(Announced, 'audit', () => undefined);
  const worker = await testWorker(handlers, { queues: [queue], ...extra });
  const running = worker.run();
  const mediator = await testMediator({ defaults: { queue, lane: 'standalone' }, ...extra });
  cleanup.push(async () => {
    await mediator.close();
    worker.shutdown();
    await running;
  });
  return { queue, calls, mediator, handlers };
}

function activity(mediator: Mediator, id: string) {
  return mediator.client!.activity.getHandle(id);
}

describe('cluster: standalone lane', () => {
  it('a job is one standalone activity of the request type with the request options; no workflow', async () => {
    const { queue, mediator, calls } = await setup();
    const job = await mediator.enqueue(Stamp, { text: 'a' }, { description: 'Stamp a', priority: 2 });
    const out = await job.result();
    expect(out).toEqual({ text: 'a', at: new Date(Date.UTC(2030, 0, 1)), attempt: 1 });
    expect(out.at).toBeInstanceOf(Date);
    expect(calls).toEqual([{ text: 'a', jobId: job.id, attempt: 1 }]);

    const d = await activity(mediator, job.id).describe();
    expect(d).toMatchObject({
      activityType: 'SaStamp',
      taskQueue: queue,
      status: 'COMPLETED',
      startToCloseTimeoutMs: 20_000,
      heartbeatTimeoutMs: 7_000,
      priority: { priorityKey: 2 },
    });
    expect(d.retryPolicy).toMatchObject({ maximumAttempts: 4, initialInterval: 150, backoffCoefficient: 3 });
    expect(d.retryPolicy.nonRetryableErrorTypes).toContain('RequestValidationError');
    expect(d.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])).toEqual([
      ['MediatorRequest', 'SaStamp'],
    ]);
    await expect(mediator.client!.workflow.getHandle(job.id).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
    expect(await job.describe()).toMatchObject({
      id: job.id,
      request: 'SaStamp',
      status: 'completed',
      description: 'Stamp a',
      queue,
      lane: 'standalone',
      historyLength: 0,
    });
  });

  it('another process (an API-only mediator) finds the job by id: status, result, describe, logs', async () => {
    const { mediator } = await setup();
    const job = await mediator.enqueue(Stamp, { text: 'far' });
    await job.result();
    const api = await testMediator();
    cleanup.push(() => api.close());
    const found = api.job(Stamp, job.id);
    expect(await found.result()).toMatchObject({ text: 'far', attempt: 1 });
    expect(await found.status()).toBe('completed');
    expect(await found.describe()).toMatchObject({ lane: 'standalone', request: 'SaStamp' });
    expect((await found.logs()).map((l) => l.message)).toEqual(['stamping far']);
    // A bare id learns the request from the job.
    expect(await api.job(job.id).describe()).toMatchObject({ request: 'SaStamp' });
    await expect(api.job('SaStamp-no-such-job').status()).rejects.toMatchObject({ name: 'JobNotFoundError' });
  });

  it('schedule: a start delay on the activity; scheduled, then run after it', async () => {
    const { mediator, calls } = await setup();
    const started = Date.now();
    const job = await mediator.schedule(Stamp, { text: 'later' }, { delay: '2s' });
    expect(await job.status()).toBe('scheduled');
    expect((await activity(mediator, job.id).describe()).startDelayMs).toBe(2_000);
    await job.result();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(calls.map((c) => c.text)).toEqual(['later']);
  });

  it('a chosen id held by a workflow-lane job returns that job (one execution per id, across lanes)', async () => {
    const { mediator, calls } = await setup();
    const jobId = `SaStamp-shared-${randomBytes(4).toString('hex')}`;
    const first = await mediator.enqueue(Stamp, { text: 'wf' }, { jobId, lane: 'workflow' });
    await first.result();
    const second = await mediator.enqueue(Stamp, { text: 'sa' }, { jobId });
    expect(await second.result()).toMatchObject({ text: 'wf' });
    expect((await second.describe()).lane).toBeUndefined();
    expect(calls.map((c) => c.text)).toEqual(['wf']);
    // And on the standalone lane itself: the same id runs once.
    const saId = `SaStamp-sa-${randomBytes(4).toString('hex')}`;
    const a = await mediator.enqueue(Stamp, { text: 'one' }, { jobId: saId });
    const b = await mediator.enqueue(Stamp, { text: 'two' }, { jobId: saId });
    expect(await b.result()).toMatchObject({ text: 'one' });
    expect(await a.result()).toMatchObject({ text: 'one' });
    const conflict = await rejection(mediator.enqueue(Other, {}, { jobId: saId }));
    expect(conflict).toMatchObject({ name: 'JobIdConflictError', existingRequest: "request 'SaStamp'" });
  });

  it('a payload of a newer contract fails at once with ContractVersionError, the handler not run', async () => {
    const { mediator, calls } = await setup();
    const err = await rejection(mediator.enqueueAsync(StampV2, { text: 'v2' }));
    expect(err).toBeInstanceOf(ContractVersionError);
    expect(err).toMatchObject({ fromVersion: 2, toVersion: 1, request: 'SaStamp' });
    expect(calls).toEqual([]);
  });

  it('notifications and recurring jobs cannot run standalone: LaneUnsupportedError, or the workflow lane with laneFallback', async () => {
    const { mediator } = await setup();
    const err = await rejection(mediator.enqueuePublish(Announced, { text: 'x' }));
    expect(err).toMatchObject({ name: 'LaneUnsupportedError', code: 'LANE_UNSUPPORTED', reason: 'kind' });
    expect(String(err.message)).toContain("laneFallback: 'workflow'");
    const rec = await rejection(
      mediator.addOrUpdate(
        `sa-${randomBytes(3).toString('hex')}`,
        Stamp,
        { text: 'r' },
        { cron: '0 3 * * *' },
      ),
    );
    expect(rec).toMatchObject({ name: 'LaneUnsupportedError', reason: 'recurring' });
    const fell = await mediator.enqueuePublish(Announced, { text: 'y' }, { laneFallback: 'workflow' });
    expect(await fell.result()).toEqual({ outcomes: [{ handler: 'audit', status: 'fulfilled' }] });
    expect((await fell.describe()).historyLength).toBeGreaterThan(0);
  });

  it('encryption: the input and result are ciphertext on the server and plain at both ends', async () => {
    const encryption = { keys: { k1: randomBytes(32).toString('base64') }, activeKeyId: 'k1' };
    const { mediator } = await setup({ encryption });
    const job = await mediator.enqueue(Stamp, { text: 'secret-text' });
    expect(await job.result()).toMatchObject({ text: 'secret-text' });
    const raw = await mediator.client!.workflowService.describeActivityExecution({
      namespace: 'default',
      activityId: job.id,
      includeInput: true,
      includeOutcome: true,
    });
    const bytes = Buffer.concat(
      [...(raw.input?.payloads ?? []), ...(raw.outcome?.result?.payloads ?? [])].map((p) =>
        Buffer.from(p.data ?? new Uint8Array()),
      ),
    );
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.toString('latin1')).not.toContain('secret-text');
    expect(Buffer.from(raw.input!.payloads![0]!.metadata!.encoding!).toString()).toBe('binary/encrypted');
  });

  it('a raw client.activity.execute of the request type reaches the same handler', async () => {
    const { queue, mediator, calls } = await setup();
    const out: unknown = await mediator.client!.activity.execute('SaStamp', {
      id: `raw-${randomBytes(4).toString('hex')}`,
      taskQueue: queue,
      args: [{ text: 'raw' }],
      startToCloseTimeout: '10s',
    });
    expect(out).toMatchObject({ text: 'raw', attempt: 1 });
    expect(calls.map((c) => c.text)).toEqual(['raw']);
    expect(address()).toBeTruthy();
  });
});
