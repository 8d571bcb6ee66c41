import type { ConsoleBatch, ConsoleLine, Progress } from '../src/observability/console.js';
import { errorMessage } from '../src/core/errors.js';
import type { Logger } from '../src/core/logger.js';
import type { ConsoleUsage } from './console-caps.js';
import { capLine, defaultConsoleOptions, lineBytes } from './console-caps.js';
import type { ConsoleOptions, ResolvedConsoleOptions } from './console-caps.js';

export type { ConsoleOptions, ConsoleUsage } from './console-caps.js';
export { defaultConsoleOptions } from './console-caps.js';

/**
 * Buffers one handler run's console lines and ships them to the job's workflow in batches, within
 * the job's budget (lines, bytes, signals; see {@link ConsoleOptions}): every shipped line and
 * signal stays in the job's history, so the budget is what bounds it. Lines over the budget stay in
 * the worker log only and are counted as dropped; the last few of them, the dropped count and the
 * latest progress always go out with the final shipment. Shipping never throws.
 */
export class ConsoleShipper {
  readonly #send: (batch: ConsoleBatch) => Promise<void>;
  readonly #o: ResolvedConsoleOptions;
  readonly #log: Logger;
  readonly #used: ConsoleUsage;
  #pending: ConsoleLine[] = [];
  /** Latest lines that did not fit the budget: shipped at close, shown in heartbeat details. */
  #tail: ConsoleLine[] = [];
  #recent: ConsoleLine[] = [];
  /** Dropped since the last shipment (the workflow adds it up). */
  #dropped = 0;
  #progress: Progress | undefined;
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(
    send: (batch: ConsoleBatch) => Promise<void>,
    options: ConsoleOptions & { log: Logger; used?: ConsoleUsage | undefined },
  ) {
    this.#send = send;
    this.#o = defaultConsoleOptions(options);
    this.#log = options.log;
    // Earlier attempts' usage (from their heartbeat details): the budget is the job's, not the attempt's.
    this.#used = { lines: 0, bytes: 0, signals: 0, dropped: 0, ...options.used };
  }

  /** What this job's console has used so far (shipped or accepted for shipping). */
  usage(): ConsoleUsage {
    return { ...this.#used };
  }

  /** The latest lines written (shipped or not), for the attempt's heartbeat details. */
  recent(): ConsoleLine[] {
    return [...this.#recent];
  }

  line(raw: ConsoleLine): void {
    const line = capLine(raw, this.#o.maxLineBytes);
    this.#remember(this.#recent, line, this.#o.heartbeatLines);
    const bytes = lineBytes(line);
    const u = this.#used;
    const fits =
      u.lines < this.#o.maxLines &&
      u.bytes + bytes <= this.#o.maxBytes &&
      // One signal is kept for the final shipment.
      u.signals < this.#o.maxSignals - 1 &&
      this.#pending.length < this.#o.maxPending;
    if (!fits) {
      // Kept for the final shipment; counted as dropped once a newer line pushes it out.
      if (this.#remember(this.#tail, line, this.#o.tailLines)) {
        u.dropped++;
        this.#dropped++;
      }
      return;
    }
    u.lines++;
    u.bytes += bytes;
    this.#pending.push(line);
    this.#schedule();
  }

  progress(progress: Progress): void {
    this.#progress = progress;
    if (this.#used.signals < this.#o.maxSignals - 1) this.#schedule();
  }

  /** Ships everything still pending, the tail of the dropped lines and the progress, in one signal. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#chain;
    if (!this.#pending.length && !this.#tail.length && !this.#progress && !this.#dropped) return;
    await this.#ship(this.#pending.splice(0).concat(this.#tail.splice(0)));
  }

  /** Appends to a bounded buffer; true when a line fell out (or could not be kept at all). */
  #remember(buffer: ConsoleLine[], line: ConsoleLine, keep: number): boolean {
    if (keep <= 0) return true;
    buffer.push(line);
    if (buffer.length <= keep) return false;
    buffer.shift();
    return true;
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      if (this.#used.signals >= this.#o.maxSignals - 1) return;
      void this.#ship(this.#pending.splice(0, this.#o.maxBatch)).then(() => {
        if (this.#pending.length) this.#schedule();
      });
    }, this.#o.flushIntervalMs);
  }

  #ship(lines: ConsoleLine[]): Promise<void> {
    const batch: ConsoleBatch = { lines };
    if (this.#dropped > 0) batch.dropped = this.#dropped;
    if (this.#progress) batch.progress = this.#progress;
    this.#dropped = 0;
    this.#progress = undefined;
    this.#used.signals++;
    this.#chain = this.#chain.then(() =>
      this.#send(batch).catch((err: unknown) => {
        // The job's console is best effort: never fail the handler for it.
        this.#log.debug('could not ship console lines to the job', {
          error: errorMessage(err),
          lines: lines.length,
        });
      }),
    );
    return this.#chain;
  }
}
