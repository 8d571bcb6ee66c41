/**
 * The in-memory job console: the same bounded buffer of `ctx.log` lines and latest progress that
 * the `executeRequest` workflow keeps, read by `job.logs()` and `job.progress()`; handlers write to
 * it through the shared `teeLogger` (`src/observability/console-tee.ts`).
 */
import type { ConsoleLine, Progress } from '../observability/console.js';
import type { ConsoleSink } from '../observability/console-tee.js';
import { CONSOLE_MAX_LINES, CONSOLE_MAX_MESSAGE } from '../../workflows/constants.js';

/** One job's console lines (the last {@link CONSOLE_MAX_LINES}) and latest progress. */
export class JobConsole implements ConsoleSink {
  readonly lines: ConsoleLine[] = [];
  dropped = 0;
  progress: Progress | null = null;

  line(line: ConsoleLine): void {
    this.lines.push(
      line.message.length > CONSOLE_MAX_MESSAGE
        ? { ...line, message: `${line.message.slice(0, CONSOLE_MAX_MESSAGE)}…` }
        : line,
    );
    const excess = this.lines.length - CONSOLE_MAX_LINES;
    if (excess > 0) {
      this.lines.splice(0, excess);
      this.dropped += excess;
    }
  }
}
