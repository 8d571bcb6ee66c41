/**
 * The dispatch records of an in-memory mediator, kept cheaply: a dispatch writes a few slots of a
 * ring (no object, no `Date`); the {@link DispatchRecord} objects are built when the records are
 * read. Kept records outlive the young generation, so each object a `send` left behind was copied
 * by the scavenger and promoted: that, not the handler, was most of an in-memory `send`.
 */
import type { RequestKind } from '../contracts/definitions.js';
import type { Metadata } from '../contracts/pipeline.js';
import type { JobOptions } from '../dispatch/plan.js';
import type { DispatchRecord, DispatchRecordMode } from './records.js';

/** What a dispatch record is made of, besides its copies of metadata and options and its time. */
export interface LogDispatch {
  readonly mode: DispatchRecordMode;
  readonly definition: { readonly name: string; readonly kind: RequestKind };
  readonly input: unknown;
  readonly jobId?: string | undefined;
  readonly recurringId?: string | undefined;
}

/** The last `max` dispatches, oldest first (`max` 0 keeps none). */
export class DispatchLog {
  readonly #max: number;
  // The ring, one array per field: slot `i` is one dispatch not yet read.
  readonly #mode: DispatchRecordMode[] = [];
  readonly #request: string[] = [];
  readonly #kind: RequestKind[] = [];
  readonly #input: unknown[] = [];
  readonly #metadata: (Metadata | undefined)[] = [];
  readonly #jobId: (string | undefined)[] = [];
  readonly #options: (JobOptions | undefined)[] = [];
  readonly #recurringId: (string | undefined)[] = [];
  readonly #at: number[] = [];
  /** The slot the next dispatch takes. */
  #next = 0;
  /** Dispatches in the ring not yet turned into records (at most `max`). */
  #unread = 0;
  /** The records read so far, oldest first: what `list()` returns (one array, updated in place). */
  readonly #records: DispatchRecord[] = [];

  constructor(max: number) {
    this.#max = max;
  }

  /** Keeps one dispatch, with its own `metadata` and `options`; the oldest goes once there are `max`. */
  add(dispatch: LogDispatch, metadata: Metadata, options: JobOptions, at: number): void {
    const max = this.#max;
    if (max === 0) return;
    const i = this.#next;
    this.#mode[i] = dispatch.mode;
    this.#request[i] = dispatch.definition.name;
    this.#kind[i] = dispatch.definition.kind;
    this.#input[i] = dispatch.input;
    this.#metadata[i] = metadata;
    this.#jobId[i] = dispatch.jobId;
    this.#options[i] = options;
    this.#recurringId[i] = dispatch.recurringId;
    this.#at[i] = at;
    this.#next = i + 1 === max ? 0 : i + 1;
    if (this.#unread < max) this.#unread++;
  }

  /** The kept records, oldest first; the same array each time, brought up to date. */
  list(): DispatchRecord[] {
    const records = this.#records;
    const unread = this.#unread;
    if (unread === 0) return records;
    const max = this.#max;
    let i = this.#next - unread;
    if (i < 0) i += max;
    for (let n = 0; n < unread; n++) {
      const base = {
        mode: this.#mode[i] as DispatchRecordMode,
        request: this.#request[i] as string,
        kind: this.#kind[i] as RequestKind,
        input: this.#input[i],
        metadata: this.#metadata[i] as Metadata,
        jobId: this.#jobId[i],
        options: this.#options[i] as JobOptions,
      };
      const recurringId = this.#recurringId[i];
      const at = new Date(this.#at[i] as number);
      records.push(recurringId === undefined ? { ...base, at } : { ...base, recurringId, at });
      // The record holds them now; the ring must not keep them alive after a clear.
      this.#input[i] = undefined;
      this.#metadata[i] = undefined;
      this.#options[i] = undefined;
      i = i + 1 === max ? 0 : i + 1;
    }
    this.#unread = 0;
    if (records.length > max) records.splice(0, records.length - max);
    return records;
  }
}
