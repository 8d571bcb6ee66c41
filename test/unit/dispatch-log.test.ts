import { describe, expect, it } from 'vitest';
import { DispatchLog } from '../../src/in-memory/dispatch-log.js';

const definition = { name: 'R', kind: 'command' } as const;
const add = (log: DispatchLog, n: number, recurringId?: string) =>
  log.add({ mode: 'send', definition, input: { n }, recurringId }, {}, {}, 1_000 + n);

describe('DispatchLog', () => {
  it('keeps the last max dispatches, oldest first, across reads and wrap-arounds', () => {
    const log = new DispatchLog(3);
    add(log, 1);
    add(log, 2);
    const first = log.list();
    expect(first.map((r) => r.input)).toEqual([{ n: 1 }, { n: 2 }]);
    for (let n = 3; n <= 7; n++) add(log, n);
    expect(log.list()).toBe(first);
    expect(first.map((r) => r.input)).toEqual([{ n: 5 }, { n: 6 }, { n: 7 }]);
    add(log, 8);
    expect(log.list().map((r) => r.input)).toEqual([{ n: 6 }, { n: 7 }, { n: 8 }]);
    expect(log.list()[2]).toEqual({
      mode: 'send',
      request: 'R',
      kind: 'command',
      input: { n: 8 },
      metadata: {},
      jobId: undefined,
      options: {},
      at: new Date(1_008),
    });
  });

  it('records are stable objects; recurringId only on recurring runs; clearing empties the same array', () => {
    const log = new DispatchLog(10);
    add(log, 1);
    add(log, 2, 'nightly');
    const [a, b] = log.list();
    expect(log.list()[0]).toBe(a);
    expect(a).not.toHaveProperty('recurringId');
    expect(b?.recurringId).toBe('nightly');
    const list = log.list();
    list.length = 0;
    add(log, 3);
    expect(log.list()).toBe(list);
    expect(list.map((r) => r.input)).toEqual([{ n: 3 }]);
  });

  it('keeps nothing with max 0', () => {
    const log = new DispatchLog(0);
    add(log, 1);
    expect(log.list()).toEqual([]);
  });
});
