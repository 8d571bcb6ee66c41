import type { ConsoleLine } from '../src/observability/console.js';
import { capLine, lineBytes } from './console-caps.js';

/** Lines a standalone job's console keeps (its heartbeat details carry them). */
export const STANDALONE_CONSOLE_LINES = 50;
/** Bytes of lines a standalone job's console keeps: every heartbeat sends them all. */
export const STANDALONE_CONSOLE_BYTES = 32 * 1024;
const MAX_LINE_BYTES = 2048;

/**
 * The console of a job on the standalone lane: there is no workflow to ship lines to, so the latest
 * lines ride in the activity's heartbeat details (not history), which `job.logs()` reads with a
 * describe — while it runs and after it closed. Bounded ({@link STANDALONE_CONSOLE_LINES} lines,
 * {@link STANDALONE_CONSOLE_BYTES} bytes, oldest dropped first); the full log stays in the worker log.
 * Earlier attempts' lines come back in their heartbeat details, so the console spans attempts.
 */
export class StandaloneConsole {
  readonly #lines: ConsoleLine[] = [];
  #bytes = 0;
  /** Lines dropped to stay in bounds, this attempt and earlier ones. */
  dropped = 0;
  /** Lines written by this attempt. */
  written = 0;

  constructor(previous?: { lines?: unknown; dropped?: unknown }) {
    if (Array.isArray(previous?.lines)) for (const l of previous.lines as ConsoleLine[]) this.#keep(l);
    if (typeof previous?.dropped === 'number') this.dropped += previous.dropped;
  }

  line(raw: ConsoleLine): void {
    this.written++;
    this.#keep(raw);
  }

  #keep(raw: ConsoleLine): void {
    const line = capLine(raw, MAX_LINE_BYTES);
    this.#lines.push(line);
    this.#bytes += lineBytes(line);
    while (
      this.#lines.length > STANDALONE_CONSOLE_LINES ||
      (this.#bytes > STANDALONE_CONSOLE_BYTES && this.#lines.length > 1)
    ) {
      this.#bytes -= lineBytes(this.#lines.shift() as ConsoleLine);
      this.dropped++;
    }
  }

  lines(): ConsoleLine[] {
    return [...this.#lines];
  }
}
