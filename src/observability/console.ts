/** Types of the per-job console and progress, shared with the workflow as types only. */

/** One line of a job's console. */
export interface ConsoleLine {
  /** ISO timestamp. */
  t: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  attributes?: Record<string, unknown>;
  /** The handler attempt that wrote it. */
  attempt?: number;
  /** The notification handler that wrote it. */
  handler?: string;
}

/** A job's progress, as reported by `ctx.progress()`. */
export interface Progress {
  /** 0..1 */
  fraction: number;
  done?: number;
  total?: number;
  message?: string;
  /** ISO timestamp of the report. */
  at: string;
}

/** What the console signal carries. */
export interface ConsoleBatch {
  lines: ConsoleLine[];
  /** Lines dropped at the worker because the job wrote faster than the shipping limits. */
  dropped?: number;
  progress?: Progress;
}
