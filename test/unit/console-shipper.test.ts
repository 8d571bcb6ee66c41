import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsoleShipper } from '../../activities/console.js';
import {
  capLine,
  defaultConsoleOptions,
  lineBytes,
  usageFromDetails,
} from '../../activities/console-caps.js';
import type { ConsoleBatch, ConsoleLine } from '../../src/observability/console.js';
import { silentLogger } from './helpers.js';

const line = (i: number, message = `line ${i}`): ConsoleLine => ({
  t: '2030-01-01T00:00:00.000Z',
  level: 'info',
  message,
  attempt: 1,
});

function shipper(
  options: ConstructorParameters<typeof ConsoleShipper>[1] extends infer O ? Partial<O> : never,
) {
  const batches: ConsoleBatch[] = [];
  const s = new ConsoleShipper(
    (b) => {
      batches.push(structuredClone(b));
      return Promise.resolve();
    },
    { log: silentLogger, flushIntervalMs: 10, ...options },
  );
  const shipped = () => batches.flatMap((b) => b.lines.map((l) => l.message));
  const dropped = () => batches.reduce((n, b) => n + (b.dropped ?? 0), 0);
  return { s, batches, shipped, dropped };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('console budget at the worker', () => {
  it('documents its defaults in one place', () => {
    expect(defaultConsoleOptions()).toEqual({
      enabled: true,
      flushIntervalMs: 1000,
      maxBatch: 100,
      maxPending: 1000,
      maxLines: 1000,
      maxLineBytes: 2048,
      maxBytes: 262144,
      maxSignals: 20,
      tailLines: 10,
      heartbeatLines: 3,
    });
  });

  it('ships at most maxLines; the rest is counted as dropped, its last lines go out at close', async () => {
    const { s, shipped, dropped } = shipper({ maxLines: 5, tailLines: 2 });
    for (let i = 1; i <= 20; i++) s.line(line(i));
    await s.close();
    expect(shipped()).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 19', 'line 20']);
    expect(dropped()).toBe(13);
    expect(s.usage()).toMatchObject({ lines: 5, dropped: 13 });
  });

  it('counts every line once, shipped or dropped, when shipments happen between drops', async () => {
    vi.useFakeTimers();
    const { s, shipped, dropped } = shipper({ maxLines: 2, tailLines: 2 });
    for (let i = 1; i <= 5; i++) s.line(line(i));
    await vi.advanceTimersByTimeAsync(50);
    s.line(line(6));
    await s.close();
    expect(shipped()).toEqual(['line 1', 'line 2', 'line 5', 'line 6']);
    expect(dropped()).toBe(2);
    expect(s.usage().dropped).toBe(2);
  });

  it('cuts a line to maxLineBytes: attributes first, then the message', () => {
    const big = { ...line(1, 'x'.repeat(5000)), attributes: { blob: 'y'.repeat(5000) } };
    const capped = capLine(big, 600);
    expect(lineBytes(capped)).toBeLessThanOrEqual(600);
    expect(capped.attributes).toEqual({ truncated: expect.stringMatching(/worker log/) as unknown });
    expect(capped.message.endsWith('…')).toBe(true);
    const small = capLine({ ...line(2), attributes: { blob: 'y'.repeat(700) } }, 600);
    expect(small.message).toBe('line 2');
    expect(lineBytes(capLine(line(3, 'é'.repeat(2000)), 300))).toBeLessThanOrEqual(300);
  });

  it('stops at maxBytes of lines in total', async () => {
    const { s, batches } = shipper({ maxBytes: 10_000, tailLines: 0 });
    for (let i = 0; i < 200; i++) s.line(line(i, 'z'.repeat(500)));
    await s.close();
    const bytes = batches.flatMap((b) => b.lines).reduce((n, l) => n + lineBytes(l), 0);
    expect(bytes).toBeLessThanOrEqual(10_000);
    expect(bytes).toBeGreaterThan(9_000);
    expect(batches.reduce((n, b) => n + (b.dropped ?? 0), 0) + batches.flatMap((b) => b.lines).length).toBe(
      200,
    );
  });

  it('uses at most maxSignals shipments, keeping the last for the final one with the latest progress', async () => {
    vi.useFakeTimers();
    const { s, batches } = shipper({ maxSignals: 3, maxBatch: 1 });
    for (let i = 0; i < 10; i++) {
      s.line(line(i));
      s.progress({ fraction: i / 10, done: i, total: 10, at: `2030-01-01T00:00:0${i}.000Z` });
      await vi.advanceTimersByTimeAsync(20);
    }
    await s.close();
    expect(batches).toHaveLength(3);
    expect(batches.at(-1)?.progress).toMatchObject({ done: 9 });
    expect(s.usage().signals).toBe(3);
  });

  it("carries the job's usage from an earlier attempt (heartbeat details)", async () => {
    const used = usageFromDetails({
      progress: null,
      console: { lines: 4, bytes: 100, signals: 1, dropped: 0 },
    });
    expect(used).toEqual({ lines: 4, bytes: 100, signals: 1, dropped: 0 });
    expect(usageFromDetails({ fraction: 0.5 })).toBeUndefined();
    const { s, shipped } = shipper({ maxLines: 5, tailLines: 0, used });
    for (let i = 1; i <= 3; i++) s.line(line(i));
    await s.close();
    expect(shipped()).toEqual(['line 1']);
    expect(s.recent().map((l) => l.message)).toEqual(['line 1', 'line 2', 'line 3']);
  });
});
