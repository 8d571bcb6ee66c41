/**
 * Contract versions: a request's input schema may change while jobs queued (or schedules created)
 * by older callers still carry old payloads. A definition declares its `version`, the input schemas
 * of the older versions it still accepts, and one upcaster per step; the worker brings an old
 * payload up step by step (1 → 2 → 3) before validating it with the current schema.
 */
import type { z } from 'zod';
import { InvalidOptionError, MediatorError, errorMessage } from '../core/errors.js';
import type { MediatorErrorContext } from '../core/errors.js';

/** Input schemas of a contract's older versions, by version number. */
export type PreviousInputs = { readonly [version: number]: z.ZodType };

/** `K + 1`, counted with a tuple (version numbers are small). */
type Plus1<K extends number, Count extends unknown[] = []> = Count['length'] extends K
  ? [...Count, unknown]['length']
  : Plus1<K, [...Count, unknown]>;

/** The schema of the version after `K`: the next older schema, or the current input schema. */
type NextSchema<P extends PreviousInputs, K, In extends z.ZodType> = K extends number
  ? Plus1<K> extends keyof P
    ? P[Plus1<K>]
    : In
  : In;

/**
 * One upcaster per older version: `upcast[k]` turns a version-k input (parsed by
 * `previousInputs[k]`) into what version k + 1's schema accepts (the current `input` for the last step).
 */
export type Upcasters<In extends z.ZodType, P extends PreviousInputs> = {
  readonly [K in keyof P]?: (
    input: z.output<P[K]>,
  ) => z.input<NextSchema<P, K, In>> | Promise<z.input<NextSchema<P, K, In>>>;
};

/** An upcaster with its types erased; a method type, so every typed upcaster is one. */
type AnyUpcaster = { erased(input: unknown): unknown }['erased'];

/** Upcasters with their types erased, as a definition stores them. */
export type AnyUpcasters = { readonly [version: number]: AnyUpcaster | undefined };

/** The versioning fields of `defineCommand`, `defineQuery` and `defineNotification`. */
export interface VersionOptions<In extends z.ZodType, P extends PreviousInputs> {
  /**
   * The contract's version: callers stamp it on the jobs and schedules they create; a worker runs
   * payloads of this version and older ones (upcast), and leaves newer ones for a newer worker.
   * Raise it when `input` changes incompatibly. @default 1
   */
  version?: number;
  /**
   * Input schemas of older versions, keyed by version: a contiguous range ending at `version - 1`.
   * An old payload is parsed with its version's schema before that version's upcaster runs (which is
   * typed from it). @default {} (old payloads reach the upcasters unparsed)
   */
  previousInputs?: P;
  /**
   * `upcast[k]` turns a version-k input into a version-(k + 1) one; typed from the two schemas. A
   * missing step passes the parsed input on unchanged. An upcaster that throws fails the job at once
   * with a `ContractVersionError`. @default {}
   */
  upcast?: Upcasters<In, P>;
}

/** What a definition carries about its versions. */
export interface VersionedDefinition {
  readonly name: string;
  readonly input: z.ZodType;
  readonly version?: number;
  readonly previousInputs?: PreviousInputs;
  readonly upcast?: AnyUpcasters;
}

/** The version of a definition: `version`, or 1. */
export function contractVersion(definition: { readonly version?: number | undefined }): number {
  return definition.version ?? 1;
}

const isVersion = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** Checks the versioning fields at definition time, so a bad one fails at import, not at a job. */
export function validateVersions(init: {
  name: string;
  version?: unknown;
  previousInputs?: unknown;
  upcast?: unknown;
}): void {
  const request = init.name;
  if (init.version !== undefined && !isVersion(init.version)) {
    throw new InvalidOptionError('version', 'must be an integer >= 1', { request });
  }
  const version = init.version ?? 1;
  const keys = (value: unknown, field: string): number[] => {
    if (value === undefined) return [];
    if (typeof value !== 'object' || value === null) {
      throw new InvalidOptionError(field, 'must be an object keyed by version', { request });
    }
    return Object.keys(value).map((k) => {
      const v = Number(k);
      if (!isVersion(v) || v >= version) {
        throw new InvalidOptionError(
          field,
          `key ${k} must be an older version: an integer from 1 to ${version - 1} (version is ${version})`,
          { request },
        );
      }
      return v;
    });
  };
  const previous = keys(init.previousInputs, 'previousInputs').sort((a, b) => a - b);
  if (previous.length && previous.some((v, i) => v !== version - previous.length + i)) {
    throw new InvalidOptionError(
      'previousInputs',
      `must list every version from the oldest accepted to ${version - 1}; got ${previous.join(', ')}`,
      { request },
    );
  }
  for (const v of previous) {
    const schema = (init.previousInputs as Record<number, unknown>)[v];
    if (typeof (schema as { safeParse?: unknown } | null)?.safeParse !== 'function') {
      throw new InvalidOptionError('previousInputs', `version ${v} must be a zod schema`, { request });
    }
  }
  for (const v of keys(init.upcast, 'upcast')) {
    if (typeof (init.upcast as Record<number, unknown>)[v] !== 'function') {
      throw new InvalidOptionError('upcast', `upcast[${v}] must be a function`, { request });
    }
  }
}

/**
 * A payload's contract version cannot be brought to the worker's: an upcaster threw, produced an
 * input the next version's schema rejects, or the payload is older than the oldest version the
 * contract still accepts. Never retried.
 */
export class ContractVersionError extends MediatorError {
  override readonly name = 'ContractVersionError';
  /** The payload's contract version (the caller's). */
  readonly fromVersion: number;
  /** The contract version of the worker that refused it. */
  readonly toVersion: number;
  constructor(
    request: string,
    versions: { from: number; to: number },
    context: MediatorErrorContext & { reason?: string; message?: string } = {},
  ) {
    const reason = context.reason ?? (context.cause === undefined ? 'failed' : errorMessage(context.cause));
    super(
      'CONTRACT_VERSION',
      context.message ??
        `${request}: cannot upcast input from contract version ${versions.from} to ${versions.to}: ${reason}`,
      { ...context, request },
    );
    this.fromVersion = versions.from;
    this.toVersion = versions.to;
  }
}
