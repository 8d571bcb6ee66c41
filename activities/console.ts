import type { ConsoleBatch, ConsoleLine, Progress } from '../src/console.js';
import { errorMessage } from '../src/errors.js';
import type { Logger } from '../src/logger.js';

/** How handler console lines are shipped to their job. */
export interface ConsoleOptions {
  /** Ship `ctx.log` lines and progress to the job (Web UI current details, `job.logs()`). @default true */
  enabled?: boolean;
  /** Time between shipments: at most one signal per interval while lines keep coming. @default 1000 ms */
  flushIntervalMs?: number;
  /** Lines per shipment. @default 100 */
  maxBatch?: number;
  /** Lines waiting at the worker before the oldest are dropped (and counted). @default 1000 */
  maxPending?: number;
}

/**
 * Buffers one handler run's console lines and ships them to the job's workflow in batches: bounded in
 * rate (one signal per interval) and size (lines per batch, lines pending). Shipping never throws.
 */
export class ConsoleShipper {
  readonly #send: (batch: ConsoleBatch) => Promise<void>;
  readonly #interval: number;
  readonly #maxBatch: number;
  readonly #maxPending: number;
  readonly #log: Logger;
  #pending: ConsoleLine[] = [];
  #dropped = 0;
  #progress: Progress | undefined;
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(send: (batch: ConsoleBatch) => Promise<void>, options: ConsoleOptions & { log: Logger }) {
    this.#send = send;
    this.#interval = options.flushIntervalMs ?? 1000;
    this.#maxBatch = options.maxBatch ?? 100;
    this.#maxPending = options.maxPending ?? 1000;
    this.#log = options.log;
  }

  line(line: ConsoleLine): void {
    this.#pending.push(line);
    if (this.#pending.length > this.#maxPending) {
      this.#pending.shift();
      this.#dropped++;
    }
    this.#schedule();
  }

  progress(progress: Progress): void {
    this.#progress = progress;
    this.#schedule();
  }

  /** Ships everything still pending; call once the handler returned. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#pending.length || this.#progress || this.#dropped) await this.#flushOne();
    await this.#chain;
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.#flushOne().then(() => {
        if (this.#pending.length) this.#schedule();
      });
    }, this.#interval);
  }

  #flushOne(): Promise<void> {
    const lines = this.#pending.splice(0, this.#maxBatch);
    const batch: ConsoleBatch = { lines };
    if (this.#dropped) batch.dropped = this.#dropped;
    if (this.#progress) batch.progress = this.#progress;
    this.#dropped = 0;
    this.#progress = undefined;
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
