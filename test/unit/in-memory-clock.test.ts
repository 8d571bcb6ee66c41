import { describe, expect, it } from 'vitest';
import { createTestClock, InvalidOptionError, realClock } from '../../src/index.js';

describe('test clock', () => {
  it('starts at the given time and fires timers in due order as it advances', async () => {
    const clock = createTestClock({ start: new Date('2030-01-01T00:00:00Z') });
    const fired: string[] = [];
    clock.setTimer(() => fired.push(`b@${new Date(clock.now()).toISOString()}`), 2_000);
    clock.setTimer(() => fired.push(`a@${new Date(clock.now()).toISOString()}`), 1_000);
    clock.setTimer(() => fired.push('same-time-second'), 2_000);
    expect(clock.pending).toBe(3);
    expect(clock.nextAt()).toEqual(new Date('2030-01-01T00:00:01Z'));
    await clock.advance('1500ms');
    expect(fired).toEqual(['a@2030-01-01T00:00:01.000Z']);
    expect(clock.now()).toBe(Date.parse('2030-01-01T00:00:01.500Z'));
    await clock.advance('1s');
    expect(fired).toEqual(['a@2030-01-01T00:00:01.000Z', 'b@2030-01-01T00:00:02.000Z', 'same-time-second']);
    expect(clock.pending).toBe(0);
  });

  it('fires timers set by fired timers (and by the promise chains they start) within the same advance', async () => {
    const clock = createTestClock({ start: 0 });
    const fired: number[] = [];
    const tick = () => {
      fired.push(clock.now());
      void Promise.resolve().then(() => clock.setTimer(tick, 1_000));
    };
    clock.setTimer(tick, 1_000);
    await clock.advance('5s');
    expect(fired).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
  });

  it('cancelled timers never fire; advanceTo a past date changes nothing', async () => {
    const clock = createTestClock({ start: 10_000 });
    let fired = false;
    clock.setTimer(() => (fired = true), 100).cancel();
    await clock.advanceTo(5_000);
    expect(clock.now()).toBe(10_000);
    await clock.advanceTo(new Date(20_000));
    expect(fired).toBe(false);
    expect(clock.now()).toBe(20_000);
  });

  it('runUntil moves to the next timer whenever nothing else happens, until the promise settles', async () => {
    const clock = createTestClock({ start: 0 });
    const later = new Promise<number>((resolve) => clock.setTimer(() => resolve(clock.now()), 86_400_000));
    await expect(clock.runUntil(later)).resolves.toBe(86_400_000);
    const failing = new Promise<never>((_, reject) => clock.setTimer(() => reject(new Error('boom')), 1_000));
    await expect(clock.runUntil(failing)).rejects.toThrow('boom');
    await expect(clock.runUntil(new Promise(() => undefined), { realTimeout: '50ms' })).rejects.toThrow(
      /did not settle/,
    );
  });

  it('rejects a bad duration or start', async () => {
    const clock = createTestClock();
    await expect(clock.advance('soon' as never)).rejects.toBeInstanceOf(InvalidOptionError);
    expect(() => createTestClock({ start: new Date('nope') })).toThrow(InvalidOptionError);
  });

  it('the real clock uses Date.now and setTimeout', async () => {
    const clock = realClock();
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);
    const fired = await new Promise<boolean>((resolve) => clock.setTimer(() => resolve(true), 5));
    expect(fired).toBe(true);
    let cancelled = true;
    clock.setTimer(() => (cancelled = false), 1).cancel();
    await new Promise((r) => setTimeout(r, 10));
    expect(cancelled).toBe(true);
  });
});
