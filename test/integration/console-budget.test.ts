import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../../src/index.js';
import type { ConsoleLine } from '../../src/index.js';
import { testMediator, testWorker, uniqueQueue } from './helpers.js';

const Steps = defineCommand({ name: 'Steps', input: z.object({}), output: z.object({}) });

const Chatty = defineCommand({
  name: 'Chatty',
  input: z.object({ rounds: z.number().int(), perRound: z.number().int() }),
  output: z.object({ lines: z.number() }),
});

describe('job console budget', () => {
  it('20,000 lines of ~600 B over 20 s leave <= 1 MB of history and <= 100 events; the job completes, progress exact', async () => {
    const queue = uniqueQueue('chatty');
    const handlers = createHandlers().handle(Chatty, async (input, ctx) => {
      const total = input.rounds * input.perRound;
      let n = 0;
      for (let r = 0; r < input.rounds; r++) {
        for (let i = 0; i < input.perRound; i++, n++) ctx.log.info(`row ${n} ${'x'.repeat(590)}`);
        ctx.progress({ done: n, total, message: `round ${r + 1}` });
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      return { lines: n };
    });
    const worker = await testWorker(handlers, { queues: [queue] });
    const mediator = await testMediator({ defaults: { queue } });
    try {
      const { history, logs, progress } = await worker.runUntil(async () => {
        const job = await mediator.enqueue(Chatty, { rounds: 20, perRound: 1_000 });
        expect(await job.result()).toEqual({ lines: 20_000 });
        const handle = mediator.client!.workflow.getHandle(job.id);
        return {
          history: await handle.fetchHistory(),
          logs: await handle.query<{ lines: ConsoleLine[]; dropped: number }>('mediator.logs'),
          progress: await job.progress(),
        };
      });
      const bytes = temporal.api.history.v1.History.encode(history).finish().length;
      const events = history.events ?? [];
      const signals = events.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
      console.info(
        `[console budget] 20,000 lines x ~600 B over 20 s: history ${bytes} bytes, ${events.length} events (${signals} console signals), ${logs.lines.length} lines kept, ${logs.dropped} dropped`,
      );
      expect(bytes).toBeLessThanOrEqual(1024 * 1024);
      expect(events.length).toBeLessThanOrEqual(100);
      expect(signals).toBeLessThanOrEqual(20);
      // Every line is accounted for: shipped, or counted as dropped (and in the worker log).
      expect(logs.lines.length + logs.dropped).toBe(20_000);
      expect(logs.lines[0]?.message).toMatch(/^row 0 /);
      expect(logs.lines.at(-1)?.message).toMatch(/^row 19999 /);
      expect(progress).toMatchObject({ done: 20_000, total: 20_000, fraction: 1, message: 'round 20' });
    } finally {
      await mediator.close();
    }
  }, 90_000);

  it('once the console has no shipments left, job.progress() still reads the exact latest report (heartbeat details)', async () => {
    const queue = uniqueQueue('steps');
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    const handlers = createHandlers().handle(Steps, async (_input, ctx) => {
      ctx.log.info('starting');
      ctx.progress({ done: 1, total: 4, message: 'first step' });
      await released;
      return {};
    });
    // One shipment in all: only the final one, so nothing reaches the workflow while the job runs.
    const worker = await testWorker(handlers, { queues: [queue], console: { maxSignals: 1 } });
    const mediator = await testMediator({ defaults: { queue } });
    try {
      await worker.runUntil(async () => {
        const job = await mediator.enqueue(Steps, {});
        const deadline = Date.now() + 20_000;
        let seen = await job.progress();
        while (!seen && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 250));
          seen = await job.progress();
        }
        expect(seen).toMatchObject({ done: 1, total: 4, fraction: 0.25, message: 'first step' });
        const history = await mediator.client!.workflow.getHandle(job.id).fetchHistory();
        expect(history.events?.some((e) => e.workflowExecutionSignaledEventAttributes)).toBe(false);
        release();
        await job.result();
        expect(await job.logs()).toMatchObject([{ message: 'starting' }]);
      });
    } finally {
      await mediator.close();
    }
  }, 60_000);
});
