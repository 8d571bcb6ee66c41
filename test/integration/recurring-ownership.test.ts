import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RecurringNotFoundError, defineCommand, defineRecurring } from '../../src/index.js';
import type { Mediator } from '../../src/index.js';
import { testMediator, uniqueQueue } from './helpers.js';

const Tick = defineCommand({ name: 'OwnTick', input: z.object({}), output: z.object({}) });
const Tock = defineCommand({ name: 'OwnTock', input: z.object({}), output: z.object({}) });

const mediators: Mediator[] = [];
const ids: string[] = [];
const scheduleId = (name: string) => {
  const id = `${name}-${randomUUID().slice(0, 8)}`;
  ids.push(id);
  return id;
};

afterAll(async () => {
  const [m] = mediators;
  for (const id of ids)
    await m
      ?.recurring(id)
      .remove()
      .catch(() => undefined);
  for (const x of mediators) await x.close();
});

/** Two services: two mediators, two connections. */
async function service(): Promise<Mediator> {
  const m = await testMediator();
  mediators.push(m);
  return m;
}

async function listedAll(m: Mediator, wanted: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const seen = new Set<string>();
    for await (const s of m.listRecurring()) seen.add(s.id);
    if (wanted.every((id) => seen.has(id))) return;
    if (Date.now() > deadline) throw new Error(`schedules not listed: ${wanted.join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('recurring ownership across services', () => {
  it("service B's sync never removes service A's schedules; a sync needs an explicit owner", async () => {
    const [a, b] = [await service(), await service()];
    const queue = uniqueQueue('own');
    const [x, xa, bx] = [scheduleId('own-x'), scheduleId('own-xa'), scheduleId('own-bx')];
    await a.addOrUpdate(x, Tick, {}, { every: '1h', queue }); // no owner
    await a.addOrUpdate(xa, Tick, {}, { every: '1h', queue, owner: 'service-a' });
    await b.syncRecurring(
      [defineRecurring({ id: bx, definition: Tick, input: {}, options: { every: '1h', queue } })],
      {
        owner: 'service-b',
      },
    );
    await listedAll(b, [x, xa, bx]);

    // Without an owner, B's sync is refused (it used to remove A's `x` under the default owner).
    await expect(b.syncRecurring([], undefined as never)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      option: 'owner',
    });
    // @ts-expect-error the owner is required
    await expect(b.syncRecurring([])).rejects.toThrow(/owner/);
    await expect(b.syncRecurring([], { owner: 'temporal-mediator' })).rejects.toThrow(
      /reserved|without an owner/,
    );

    const diff = await b.syncRecurring([], { owner: 'service-b' });
    expect(diff.removed).toEqual([bx]);
    await expect(b.recurring(bx).describe()).rejects.toBeInstanceOf(RecurringNotFoundError);
    expect((await a.recurring(x).describe()).id).toBe(x);
    expect((await a.recurring(xa).describe()).owner).toBe('service-a');
    // A's own sync leaves its owner-less schedule alone too.
    expect((await a.syncRecurring([], { owner: 'service-a' })).removed).toEqual([xa]);
    expect((await a.recurring(x).describe()).id).toBe(x);
  });

  it('changing the request behind an id updates the schedule in place: it never disappears', async () => {
    const m = await service();
    const queue = uniqueQueue('own-change');
    const id = scheduleId('own-change');
    await m.addOrUpdate(id, Tick, {}, { every: '1h', queue });
    const before = await m.client!.schedule.getHandle(id).describe();
    let watching = true;
    let missing = 0;
    let checks = 0;
    const watcher = (async () => {
      while (watching) {
        checks++;
        await m
          .recurring(id)
          .describe()
          .catch((err: unknown) => {
            if (err instanceof RecurringNotFoundError) missing++;
          });
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    await m.addOrUpdate(id, Tock, {}, { every: '1h', queue });
    await new Promise((r) => setTimeout(r, 200));
    watching = false;
    await watcher;
    expect(checks).toBeGreaterThan(2);
    expect(missing).toBe(0);
    const after = await m.client!.schedule.getHandle(id).describe();
    // The same schedule (not deleted and created again), now running the new request.
    expect(after.info.createdAt).toEqual(before.info.createdAt);
    expect((await m.recurring(id).describe()).request).toBe('OwnTock');
    expect(after.action.type === 'startWorkflow' && after.action.workflowId).toBe(`OwnTock-${id}`);
    // The list (eventually consistent) shows the new request too, not the one in the creation memo.
    const deadline = Date.now() + 15_000;
    let listed: string | undefined;
    while (listed !== 'OwnTock' && Date.now() < deadline) {
      for await (const s of m.listRecurring()) if (s.id === id) listed = s.request;
      if (listed !== 'OwnTock') await new Promise((r) => setTimeout(r, 250));
    }
    expect(listed).toBe('OwnTock');
    await m.recurring(id).trigger();
  });
});
