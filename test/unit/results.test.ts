import { describe, expect, it } from 'vitest';
import { RESULT_TAG, decodeResult, encodeResult } from '../../src/core/results.js';

/** What Temporal's JSON payload converter does to a value. */
const overTheWire = (v: unknown): unknown => JSON.parse(JSON.stringify(encodeResult(v)));

describe('background results: tagged non-JSON values', () => {
  it('revives Dates, bigints, Maps and Sets, nested anywhere', () => {
    const value = {
      at: new Date('2030-01-01T00:00:00.000Z'),
      list: [new Date(0), { big: 2n ** 70n }],
      map: new Map<string, unknown>([['k', new Set([1, new Date(5)])]]),
    };
    expect(decodeResult(overTheWire(value))).toEqual(value);
  });

  it('leaves JSON-only results unchanged, so they stay readable in the Web UI', () => {
    const value = { a: 1, b: ['x', null, { c: true }] };
    expect(encodeResult(value)).toBe(value);
    expect(decodeResult(overTheWire(value))).toEqual(value);
  });

  it("escapes a handler's own object that looks like a tag", () => {
    const value = { [RESULT_TAG]: 'Date', value: 'not a date' };
    expect(decodeResult(overTheWire(value))).toEqual(value);
    expect(decodeResult(overTheWire([value, new Date(1)]))).toEqual([value, new Date(1)]);
  });

  it('decodes results of older workers (untagged) as they are', () => {
    expect(decodeResult({ at: '2030-01-01T00:00:00.000Z' })).toEqual({ at: '2030-01-01T00:00:00.000Z' });
    expect(decodeResult(undefined)).toBeUndefined();
  });
});
