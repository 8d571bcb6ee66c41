/**
 * The per-job console budget: what a handler's `ctx.log` lines may add to the job's history. Every
 * shipped line and every shipment (a signal, plus the workflow task it wakes) stays in the history
 * until retention, and Temporal terminates a job whose history passes 50 MB or 51,200 events; the
 * budget keeps the console a small, fixed part of that however long or chatty the handler is.
 */
import type { ConsoleLine } from '../src/observability/console.js';
import type { Duration } from '../src/core/durations.js';
import { toMs } from '../src/core/durations.js';

/** How handler console lines are shipped to their job. */
export interface ConsoleOptions {
  /** Ship `ctx.log` lines and progress to the job (Web UI current details, `job.logs()`). @default true */
  enabled?: boolean;
  /** Time between shipments: at most one signal per interval while lines keep coming. @default '1s' */
  flushInterval?: Duration;
  /** @deprecated use `flushInterval` (a Duration; a number there is milliseconds too) */
  flushIntervalMs?: number;
  /** Lines per shipment. @default 100 */
  maxBatch?: number;
  /** Lines waiting at the worker for the next shipment; more are dropped (and counted). @default 1000 */
  maxPending?: number;
  /**
   * Lines shipped to the job's history in total (all attempts); later lines stay in the worker log
   * and are counted as dropped. The job keeps its last 1,000 lines either way. @default 1000
   */
  maxLines?: number;
  /**
   * Largest line shipped, in bytes of JSON (message, attributes, timestamp): attributes that do not
   * fit are replaced by a note, then the message is cut. The worker log keeps the whole line.
   * @default 2048
   */
  maxLineBytes?: number;
  /**
   * Bytes of console lines shipped to the job's history in total (all attempts); later lines stay in
   * the worker log and are counted as dropped. @default 262144 (256 KiB)
   */
  maxBytes?: number;
  /**
   * Shipments (signals) per job in total, the final one included: each adds about four history
   * events (the signal and the workflow task it wakes), so 20 bound the console to ~80 events.
   * Once spent, progress still reaches `job.progress()` through the attempt's heartbeat details.
   * @default 20
   */
  maxSignals?: number;
  /** Dropped lines shipped anyway with the final shipment (the end of a long run). @default 10 */
  tailLines?: number;
  /** Latest lines carried in the attempt's heartbeat details (shown by the Web UI, not in history). @default 3 */
  heartbeatLines?: number;
}

/** {@link ConsoleOptions} with defaults applied. */
/** Resolved: the interval in milliseconds. */
export type ResolvedConsoleOptions = Required<Omit<ConsoleOptions, 'flushInterval'>>;

/** The one place the console's defaults live. */
export function defaultConsoleOptions(options: ConsoleOptions = {}): ResolvedConsoleOptions {
  return {
    enabled: options.enabled ?? true,
    flushIntervalMs: toMs(options.flushInterval ?? options.flushIntervalMs ?? 1000, 'console.flushInterval'),
    maxBatch: options.maxBatch ?? 100,
    maxPending: options.maxPending ?? 1000,
    maxLines: options.maxLines ?? 1000,
    maxLineBytes: options.maxLineBytes ?? 2048,
    maxBytes: options.maxBytes ?? 256 * 1024,
    maxSignals: Math.max(1, options.maxSignals ?? 20),
    tailLines: options.tailLines ?? 10,
    heartbeatLines: options.heartbeatLines ?? 3,
  } satisfies ResolvedConsoleOptions;
}

/** What a job's console has used of its budget; carried from attempt to attempt in heartbeat details. */
export interface ConsoleUsage {
  lines: number;
  bytes: number;
  signals: number;
  dropped: number;
}

/** Reads a {@link ConsoleUsage} from an earlier attempt's heartbeat details, if there is one. */
export function usageFromDetails(details: unknown): ConsoleUsage | undefined {
  const console = (details as { console?: unknown } | undefined)?.console;
  if (typeof console !== 'object' || console === null) return undefined;
  const { lines, bytes, signals, dropped } = console as Record<string, unknown>;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  return { lines: n(lines), bytes: n(bytes), signals: n(signals), dropped: n(dropped) };
}

/** Size of a line as shipped (its JSON, in UTF-8 bytes). */
export function lineBytes(line: ConsoleLine): number {
  return Buffer.byteLength(JSON.stringify(line));
}

/** A line within `max` bytes: attributes replaced by a note if they do not fit, then the message cut. */
export function capLine(line: ConsoleLine, max: number): ConsoleLine {
  if (lineBytes(line) <= max) return line;
  let out: ConsoleLine = line;
  if (line.attributes) {
    out = {
      ...line,
      attributes: { truncated: 'attributes over the console line limit (see the worker log)' },
    };
    if (lineBytes(out) <= max) return out;
  }
  const overhead = lineBytes({ ...out, message: '' });
  const room = Math.max(0, max - overhead - 3);
  return { ...out, message: `${cutUtf8(out.message, room)}…` };
}

/** The longest prefix of `text` whose JSON-escaped UTF-8 form fits in `bytes`. */
function cutUtf8(text: string, bytes: number): string {
  let lo = 0;
  let hi = Math.min(text.length, bytes);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (Buffer.byteLength(JSON.stringify(text.slice(0, mid))) - 2 <= bytes) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo);
}
