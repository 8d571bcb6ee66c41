/**
 * The in-memory job console: the same bounded buffer of `ctx.log` lines and latest progress that
 * the `executeRequest` workflow keeps, read by `job.logs()` and `job.progress()`.
 */
import type { ConsoleLine, Progress } from '../observability/console.js';
import type { LogAttributes, Logger } from '../core/logger.js';
import type { ProgressReport } from '../contracts/registry.js';
import { CONSOLE_MAX_LINES, CONSOLE_MAX_MESSAGE } from '../../workflows/constants.js';

/** One job's console lines (the last {@link CONSOLE_MAX_LINES}) and latest progress. */
export class JobConsole {
  readonly lines: ConsoleLine[] = [];
  dropped = 0;
  progress: Progress | null = null;

  add(line: ConsoleLine): void {
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

/** `ctx.progress()` argument to the stored form, as the worker computes it. */
export function toProgress(report: number | ProgressReport, now: number): Progress {
  const at = new Date(now).toISOString();
  if (typeof report === 'number') return { fraction: clamp(report), at };
  const fraction = report.total > 0 ? clamp(report.done / report.total) : 0;
  return { fraction, done: report.done, total: report.total, message: report.message, at };
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

/** Writes to the (worker) log and, when the console is on, to the job's console. */
export function teeLogger(
  log: Logger,
  target: {
    console: JobConsole | undefined;
    now: () => number;
    attempt: number;
    handler: string | undefined;
  },
): Logger {
  const write =
    (level: ConsoleLine['level']) =>
    (message: string, attributes?: LogAttributes): void => {
      log[level](message, attributes);
      if (!target.console) return;
      const line: ConsoleLine = {
        t: new Date(target.now()).toISOString(),
        level,
        message: String(message),
        attempt: target.attempt,
      };
      if (attributes && Object.keys(attributes).length) line.attributes = attributes;
      if (target.handler) line.handler = target.handler;
      target.console.add(line);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
