/**
 * How a background result travels: Temporal's payloads are JSON, so values JSON has no form for
 * (a `Date` from `z.date()` or a `z.transform`, a `bigint`, a `Map`, a `Set`) are tagged by the
 * worker and revived at the caller. A background result then has the output schema's type, the same
 * as `send`'s. A result without such values travels unchanged (plain JSON, readable in the Web UI).
 *
 * Why tagging instead of re-parsing with the output schema at the caller: the worker has already
 * parsed the handler's value, and transforms are one way — parsing the output form again would run
 * a transform twice or fail (`z.string().transform(s => s.length)` refuses its own number).
 */

/** The tag key; an object `{ [TAG]: type, value }` stands for one non-JSON value. */
export const RESULT_TAG = '$mediator';

type Tagged =
  | { [RESULT_TAG]: 'Date'; value: string }
  | { [RESULT_TAG]: 'BigInt'; value: string }
  | { [RESULT_TAG]: 'Map'; value: [unknown, unknown][] }
  | { [RESULT_TAG]: 'Set'; value: unknown[] }
  | { [RESULT_TAG]: 'Object'; value: Record<string, unknown> };

/** Encodes a result for the payload: non-JSON values become tags; JSON-only results are returned as is. */
export function encodeResult(value: unknown): unknown {
  return needsTags(value, 0) ? encode(value) : value;
}

/** Revives what {@link encodeResult} tagged; anything else is returned as is. */
export function decodeResult<T>(value: unknown): T {
  return (hasTags(value, 0) ? decode(value) : value) as T;
}

const MAX_DEPTH = 100;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function needsTags(v: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (v instanceof Date || typeof v === 'bigint' || v instanceof Map || v instanceof Set) return true;
  if (Array.isArray(v)) return v.some((x) => needsTags(x, depth + 1));
  if (!isPlainObject(v)) return false;
  // An object of the handler's own that looks like a tag is escaped, so it comes back unchanged.
  if (RESULT_TAG in v) return true;
  return Object.values(v).some((x) => needsTags(x, depth + 1));
}

function encode(v: unknown): unknown {
  if (v instanceof Date) return tag('Date', Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString());
  if (typeof v === 'bigint') return tag('BigInt', v.toString());
  if (v instanceof Map)
    return tag(
      'Map',
      [...v].map(([k, x]) => [encode(k), encode(x)]),
    );
  if (v instanceof Set) return tag('Set', [...v].map(encode));
  if (Array.isArray(v)) return v.map(encode);
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = encode(x);
  return RESULT_TAG in v ? tag('Object', out) : out;
}

function tag(type: Tagged[typeof RESULT_TAG], value: unknown): Tagged {
  return { [RESULT_TAG]: type, value } as Tagged;
}

function hasTags(v: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(v)) return v.some((x) => hasTags(x, depth + 1));
  if (!isPlainObject(v)) return false;
  return RESULT_TAG in v || Object.values(v).some((x) => hasTags(x, depth + 1));
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (!isPlainObject(v)) return v;
  if (isTag(v)) {
    switch (v[RESULT_TAG]) {
      case 'Date':
        return new Date(v.value);
      case 'BigInt':
        return BigInt(v.value);
      case 'Map':
        return new Map(v.value.map(([k, x]) => [decode(k), decode(x)]));
      case 'Set':
        return new Set(v.value.map(decode));
      case 'Object':
        return decodeObject(v.value);
    }
  }
  return decodeObject(v);
}

function decodeObject(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = decode(x);
  return out;
}

function isTag(v: Record<string, unknown>): v is Tagged {
  const keys = Object.keys(v);
  if (keys.length !== 2 || !('value' in v)) return false;
  const t = v[RESULT_TAG];
  if (t === 'Date' || t === 'BigInt') return typeof v.value === 'string';
  if (t === 'Map' || t === 'Set') return Array.isArray(v.value);
  return t === 'Object' && isPlainObject(v.value);
}
