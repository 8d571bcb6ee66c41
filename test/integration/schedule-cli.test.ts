import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../../src/index.js';
import type { Mediator } from '../../src/index.js';
import { testMediator, testWorker, uniqueQueue } from './helpers.js';

const run = promisify(execFile);

/** Runs the real `temporal` CLI against the test server. */
async function temporal(...args: string[]): Promise<string> {
  const { stdout } = await run(inject('temporalCliPath'), [...args, '--address', inject('temporalAddress')], {
    timeout: 30_000,
  });
  return stdout;
}

async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const Cleanup = defineCommand({
  name: 'CliCleanup',
  input: z.object({ olderThanDays: z.number().int().positive() }),
  output: z.object({ removed: z.number() }),
});

let mediator: Mediator;
const created: string[] = [];
const scheduleId = (name: string) => {
  const id = `${name}-${randomUUID().slice(0, 8)}`;
  created.push(id);
  return id;
};

beforeAll(async () => {
  mediator = await testMediator();
});

afterAll(async () => {
  for (const id of created)
    await mediator
      .recurring(id)
      .remove()
      .catch(() => undefined);
  await mediator.close();
});

describe('the temporal CLI on recurring jobs', () => {
  it('lists, triggers, pauses and deletes a schedule the mediator made', async () => {
    const queue = uniqueQueue('cli');
    const id = scheduleId('cli-made-by-mediator');
    const jobs: string[] = [];
    const handlers = createHandlers().handle(Cleanup, (input, ctx) => {
      jobs.push(ctx.jobId ?? '');
      return { removed: input.olderThanDays };
    });
    const worker = await testWorker(handlers, { queues: [queue] });
    await worker.runUntil(async () => {
      const handle = await mediator.addOrUpdate(
        id,
        Cleanup,
        { olderThanDays: 7 },
        { cron: '0 2 * * *', queue },
      );

      // `temporal schedule list` (eventually consistent) shows it.
      await eventually(
        async () => (await temporal('schedule', 'list')).includes(id),
        'the schedule in the CLI list',
      );

      // `temporal schedule trigger` runs the handler as a mediator job.
      await temporal('schedule', 'trigger', '--schedule-id', id);
      const jobId = await eventually(() => Promise.resolve(jobs[0]), 'the handler to run');
      expect(jobId.startsWith(`CliCleanup-${id}-`)).toBe(true);
      await expect(mediator.job(Cleanup, jobId).result()).resolves.toEqual({ removed: 7 });
      expect((await handle.describe()).recentRuns.map((r) => r.jobId)).toContain(jobId);

      // `temporal schedule toggle --pause` shows in describe(), and so does --unpause.
      await temporal('schedule', 'toggle', '--schedule-id', id, '--pause', '--reason', 'r');
      expect(await handle.describe()).toMatchObject({ paused: true, note: 'r' });
      await temporal('schedule', 'toggle', '--schedule-id', id, '--unpause', '--reason', 'back');
      expect(await handle.describe()).toMatchObject({ paused: false, note: 'back' });

      // `temporal schedule delete` removes it.
      await temporal('schedule', 'delete', '--schedule-id', id);
      await expect(handle.describe()).rejects.toMatchObject({ code: 'RECURRING_NOT_FOUND' });
    });
  });

  it('runs a schedule created with `temporal schedule create` from the documented envelope', async () => {
    const queue = uniqueQueue('cli-create');
    const id = scheduleId('cli-made-by-cli');
    const inputs: number[] = [];
    const handlers = createHandlers().handle(Cleanup, (input) => {
      inputs.push(input.olderThanDays);
      return { removed: input.olderThanDays };
    });
    const envelope = JSON.stringify({
      v: 1,
      request: 'CliCleanup',
      kind: 'command',
      input: { olderThanDays: 30 },
    });
    await temporal(
      'schedule',
      'create',
      '--schedule-id',
      id,
      '--workflow-id',
      `CliCleanup-${id}`,
      '--task-queue',
      queue,
      '--type',
      'executeRequest',
      '--interval',
      '1h',
      '--input',
      envelope,
      '--search-attribute',
      'MediatorRequest="CliCleanup"',
      '--static-summary',
      'Cleanup (from the CLI)',
    );
    const worker = await testWorker(handlers, { queues: [queue] });
    await worker.runUntil(async () => {
      const handle = mediator.recurring(id);
      expect(await handle.describe()).toMatchObject({
        id,
        request: 'CliCleanup',
        owner: undefined,
        queue,
        description: 'Cleanup (from the CLI)',
        spec: { every: 3_600_000, text: 'every 3600000ms' },
      });
      await temporal('schedule', 'trigger', '--schedule-id', id);
      const run = await eventually(async () => (await handle.describe()).recentRuns[0], 'a run');
      await expect(mediator.job(Cleanup, run.jobId).result()).resolves.toEqual({ removed: 30 });
      expect(inputs).toEqual([30]);
      const job = await mediator.job(run.jobId).describe();
      expect(job).toMatchObject({
        request: 'CliCleanup',
        description: 'Cleanup (from the CLI)',
        status: 'completed',
      });
      // Not mediator-made: listed, but without the ownership mark.
      const summary = await eventually(async () => {
        for await (const s of mediator.listRecurring()) if (s.id === id) return s;
        return undefined;
      }, 'the CLI schedule in listRecurring');
      expect(summary).toMatchObject({
        mediatorOwned: false,
        owner: undefined,
        workflowType: 'executeRequest',
      });
    });
  });
});
