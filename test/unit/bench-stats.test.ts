import { describe, expect, it } from 'vitest';
import { interleavedThroughput, latencyStats, percentile } from '../../bench/stats.js';

describe('bench statistics', () => {
  it('percentiles use the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(latencyStats([3, 1, 2]).p50).toBe(2);
  });

  it('interleaved rounds rotate the order and ratios compare rounds, not runs', async () => {
    const calls: string[] = [];
    const slowDown = (name: string, ms: number) => async () => {
      if (calls.at(-1) !== name) calls.push(name);
      await new Promise((r) => setTimeout(r, ms));
    };
    const result = await interleavedThroughput(
      { fast: slowDown('fast', 2), slow: slowDown('slow', 8) },
      'fast',
      { rounds: 4, batch: 20, inFlight: 5, warmup: 0, settle: false },
    );
    expect(result.rates.fast).toHaveLength(4);
    expect(result.rates.slow).toHaveLength(4);
    // Rounds run fast,slow | slow,fast | fast,slow | slow,fast: back to back, the same variant runs
    // twice in a row at each round boundary (without rotation there would be 8 alternations).
    expect(calls).toEqual(['fast', 'slow', 'fast', 'slow', 'fast']);
    expect(result.ratio.fast).toBe(1);
    expect(result.ratio.slow).toBeLessThan(0.6);
    expect(result.median.fast).toBeGreaterThan(result.median.slow);
  });
});
