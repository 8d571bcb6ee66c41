import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createHandlers,
  createInMemoryMediator,
  defineCommand,
  defineNotification,
} from '../../src/index.js';

const Stamp = defineCommand({ name: 'LaneStamp', input: z.object({ text: z.string() }), output: z.string() });
const Announced = defineNotification({ name: 'LaneAnnounced', input: z.object({ text: z.string() }) });

function mediator(defaults: { lane?: 'standalone'; laneFallback?: 'workflow' } = {}) {
  const seen: string[] = [];
  const handlers = createHandlers()
    .handle(Stamp, ({ text }) => `stamped ${text}`)
    .on(Announced, 'audit', ({ text }) => {
      seen.push(text);
    });
  return { seen, mediator: createInMemoryMediator({ handlers, defaults, maxRecords: 100 }) };
}

describe('in-memory mediator: lanes as on Temporal', () => {
  it("a notification on lane 'standalone' is LaneUnsupportedError (reason 'kind'); nothing runs", async () => {
    const { mediator: m, seen } = mediator();
    const err = await m
      .enqueuePublish(Announced, { text: 'x' }, { lane: 'standalone' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'LaneUnsupportedError', code: 'LANE_UNSUPPORTED', reason: 'kind' });
    expect(String((err as Error).message)).toContain("laneFallback: 'workflow'");
    await m.whenIdle();
    expect(seen).toEqual([]);
    expect(m.dispatched()).toEqual([]);
  });

  it('with laneFallback: workflow the notification runs; commands run on any lane', async () => {
    const { mediator: m, seen } = mediator({ lane: 'standalone', laneFallback: 'workflow' });
    const job = await m.enqueuePublish(Announced, { text: 'y' });
    expect(await job.result()).toEqual({ outcomes: [{ handler: 'audit', status: 'fulfilled' }] });
    expect(seen).toEqual(['y']);
    expect(await m.enqueueAsync(Stamp, { text: 'z' })).toBe('stamped z');
  });

  it("a recurring job on lane 'standalone' is LaneUnsupportedError (reason 'recurring')", async () => {
    const { mediator: m } = mediator({ lane: 'standalone' });
    const err = await m
      .addOrUpdate('lane-rec', Stamp, { text: 'r' }, { cron: '0 3 * * *' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'LaneUnsupportedError', reason: 'recurring' });
  });
});
