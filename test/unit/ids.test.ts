import { describe, expect, it } from 'vitest';
import { defaultJobId, uuidv7 } from '../../src/core/ids.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('is an RFC 9562 version 7 UUID carrying the milliseconds it was made at', () => {
    const at = Date.UTC(2026, 10, 23, 12, 0, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by creation time across milliseconds (index-friendly job ids)', () => {
    const times = [1, 2, 1000, 65_536, 2 ** 40, Date.now()];
    const ids = times.map((t) => uuidv7(t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('is unique within one millisecond', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => uuidv7(now)));
    expect(ids.size).toBe(10_000);
  });

  it('default job ids start with the request name', () => {
    const id = defaultJobId('CreateUser');
    expect(id).toMatch(/^CreateUser-/);
    expect(id.slice('CreateUser-'.length)).toMatch(V7);
  });
});
