/**
 * How a handler's `ctx.log` and `ctx.progress()` reach its job's console, on every backend: the
 * worker ships lines to the workflow, the in-memory backend keeps them with the job.
 */
import type { ConsoleLine, Progress } from './console.js';
import type { LogAttributes, Logger } from '../core/logger.js';
import type { ProgressReport } from '../contracts/registry.js';

/** Where console lines go (the worker's shipper, an in-memory job's console). */
export interface ConsoleSink {
  line(line: ConsoleLine): void;
}

/** The attempt writing, and the clock its timestamps come from. */
export interface TeeContext {
  attempt: number;
  /** The notification handler writing, if any. */
  handler: string | undefined;
  /** Epoch ms now. @default Date.now */
  now?: () => number;
}

/** `ctx.progress()`'s argument in its stored form, stamped at `now` (epoch ms). */
export function toProgress(report: number | ProgressReport, now = Date.now()): Progress {
  const at = new Date(now).toISOString();
  if (typeof report === 'number') return { fraction: clamp(report), at };
  const fraction = report.total > 0 ? clamp(report.done / report.total) : 0;
  return { fraction, done: report.done, total: report.total, message: report.message, at };
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

/** Writes to the worker log and, when there is a sink, to the job console. */
export function teeLogger(log: Logger, sink: ConsoleSink | undefined, context: TeeContext): Logger {
  if (!sink) return log;
  const now = context.now ?? Date.now;
  const write =
    (level: ConsoleLine['level']) =>
    (message: string, attributes?: LogAttributes): void => {
      log[level](message, attributes);
      const line: ConsoleLine = {
        t: new Date(now()).toISOString(),
        level,
        message: String(message),
        attempt: context.attempt,
      };
      if (attributes && Object.keys(attributes).length) line.attributes = attributes;
      if (context.handler) line.handler = context.handler;
      sink.line(line);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
