/**
 * Time for the in-memory mediator: the real clock by default, or a test clock whose time only moves
 * when a test says so, so delays, retry backoffs, timeouts and recurring runs take no real time.
 */
import type { Duration } from '../core/durations.js';
import { toMs } from '../core/durations.js';
import { InvalidOptionError } from '../core/errors.js';

/** A pending timer; `cancel()` is idempotent. */
export interface ClockTimer {
  cancel(): void;
}

/** Where the in-memory mediator reads the time and sets its timers. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `callback` once, `ms` from now. */
  setTimer(callback: () => void, ms: number): ClockTimer;
}

/** The real clock: `Date.now()` and `setTimeout`. */
export function realClock(): Clock {
  return {
    now: () => Date.now(),
    setTimer(callback, ms) {
      const timer = setTimeout(callback, Math.max(0, ms));
      return { cancel: () => clearTimeout(timer) };
    },
  };
}

/** Options of {@link createTestClock}. */
export interface TestClockOptions {
  /** The clock's initial time. @default the real time when the clock is created */
  start?: Date | number;
  /** Real time `runUntil` lets pass, when no timer is due, before it moves to the next timer. @default '5ms' */
  idle?: Duration;
  /** @deprecated use `idle` (same, in ms) */
  idleMs?: number;
}

/** Options of {@link TestClock.runUntil}. */
export interface RunUntilOptions {
  /** Give up (reject) after this much real time. @default '10s' */
  realTimeout?: Duration;
  /** @deprecated use `realTimeout` (same, in ms) */
  realTimeoutMs?: number;
  /** Give up after this much clock time. @default 400 days */
  maxAdvance?: Duration;
}

/**
 * A clock that moves only when told: `advance` fires every timer that falls due, in order, letting
 * the handlers they start run in between (promise callbacks and `setImmediate`), as if that time had
 * passed. Handlers that wait on real I/O or real `setTimeout` still take real time.
 *
 * @example
 * const clock = createTestClock();
 * const mediator = createInMemoryMediator({ handlers, clock });
 * const job = await mediator.schedule(SendReminder, input, { delay: '24h' });
 * await clock.advance('24h');
 * expect(await job.status()).toBe('completed');
 */
export interface TestClock extends Clock {
  /** Moves the time forward by `duration`, firing what falls due on the way. */
  advance(duration: Duration): Promise<void>;
  /** Moves the time forward to `date` (no-op for a past date). */
  advanceTo(date: Date | number): Promise<void>;
  /**
   * Waits for `promise`, moving the time to the next timer whenever nothing else happens: the
   * equivalent of Temporal's time-skipping test server. Returns (or throws) what the promise does.
   */
  runUntil<T>(promise: Promise<T>, options?: RunUntilOptions): Promise<T>;
  /** Fires every timer already due, without moving the time. */
  flush(): Promise<void>;
  /** Number of pending timers. */
  readonly pending: number;
  /** When the next timer is due, if any. */
  nextAt(): Date | undefined;
}

interface Entry {
  at: number;
  seq: number;
  callback: () => void;
}

/** Lets promise chains and `setImmediate` callbacks started by fired timers run. */
async function drain(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Creates a {@link TestClock}. */
export function createTestClock(options: TestClockOptions = {}): TestClock {
  const startValue = options.start ?? Date.now();
  let now = typeof startValue === 'number' ? startValue : startValue.getTime();
  if (!Number.isFinite(now)) throw new InvalidOptionError('start', 'must be a valid Date or a number of ms');
  const idleMs = toMs(options.idle ?? options.idleMs ?? 5, 'idle');
  const timers: Entry[] = [];
  let seq = 0;
  let moving: Promise<void> = Promise.resolve();

  const next = (): Entry | undefined =>
    timers.reduce<Entry | undefined>(
      (a, t) => (!a || t.at < a.at || (t.at === a.at && t.seq < a.seq) ? t : a),
      undefined,
    );
  const fire = (entry: Entry) => {
    timers.splice(timers.indexOf(entry), 1);
    now = Math.max(now, entry.at);
    entry.callback();
  };
  const moveTo = async (target: number) => {
    await drain();
    for (let entry = next(); entry && entry.at <= target; entry = next()) {
      fire(entry);
      await drain();
    }
    now = Math.max(now, target);
    await drain();
  };
  // Serialise moves so that two `advance` calls never interleave their timers.
  const serial = (op: () => Promise<void>) => (moving = moving.then(op, op));

  const clock: TestClock = {
    now: () => now,
    setTimer(callback, ms) {
      const entry: Entry = { at: now + Math.max(0, ms), seq: seq++, callback };
      timers.push(entry);
      return {
        cancel: () => {
          const i = timers.indexOf(entry);
          if (i >= 0) timers.splice(i, 1);
        },
      };
    },
    async advance(duration) {
      const ms = toMs(duration, 'advance');
      return serial(() => moveTo(now + ms));
    },
    advanceTo: (date) => serial(() => moveTo(typeof date === 'number' ? date : date.getTime())),
    flush: () => serial(() => moveTo(now)),
    get pending() {
      return timers.length;
    },
    nextAt: () => {
      const entry = next();
      return entry ? new Date(entry.at) : undefined;
    },
    async runUntil(promise, runOptions = {}) {
      let settled = false;
      const watched = promise.finally(() => (settled = true));
      watched.catch(() => undefined);
      const realTimeoutMs = toMs(runOptions.realTimeout ?? runOptions.realTimeoutMs ?? 10_000, 'realTimeout');
      const realDeadline = Date.now() + realTimeoutMs;
      const limit = now + toMs(runOptions.maxAdvance ?? 400 * 86_400_000, 'maxAdvance');
      while (!settled) {
        await serial(() => moveTo(now));
        if (settled) break;
        // Give real work (I/O, real timers) a moment before deciding the system is idle.
        await new Promise((resolve) => setTimeout(resolve, idleMs));
        if (settled) break;
        const entry = next();
        if (entry && entry.at <= limit) await serial(() => moveTo(entry.at));
        else if (Date.now() > realDeadline) {
          throw new Error(`runUntil: the promise did not settle within ${realTimeoutMs}ms of real time`);
        }
      }
      return watched;
    },
  };
  return clock;
}
