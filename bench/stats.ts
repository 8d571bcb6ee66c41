/** Median (the mean of the two middle values for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Percentile of sorted samples (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export interface LatencyStats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export function latencyStats(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    n: samples.length,
    p50: r(percentile(sorted, 50)),
    p95: r(percentile(sorted, 95)),
    p99: r(percentile(sorted, 99)),
    mean: r(mean),
  };
}

/** Runs `total` calls of `fn` with at most `inFlight` at once; returns calls per second. */
export async function throughput(
  total: number,
  inFlight: number,
  fn: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) await fn(next++);
    }),
  );
  return Math.round((total / ((performance.now() - started) / 1000)) * 10) / 10;
}

/** Sequential latencies in ms after `warmup` unmeasured calls. */
export async function sequential(
  n: number,
  warmup: number,
  fn: (i: number) => Promise<unknown>,
): Promise<LatencyStats> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return latencyStats(samples);
}

/** Resident set size high-water mark of a process, in MiB (Linux). */
export async function peakRssMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return Math.round((kb / 1024) * 10) / 10;
}

export async function currentRssMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return Math.round((kb / 1024) * 10) / 10;
}

function cpuTimes(text: string): { idle: number; total: number } {
  const fields = (text.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  // idle + iowait
  return { idle: (fields[3] ?? 0) + (fields[4] ?? 0), total };
}

/**
 * Waits until the machine is idle (≥ `idleShare` of CPU time idle over a 250 ms window), so work a
 * scenario left behind on the server (visibility updates, task backlogs) is not billed to the next
 * one. Gives up after `maxMs`. Linux only; elsewhere it waits one window.
 */
export async function settle(idleShare = 0.85, maxMs = 20_000): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const started = performance.now();
  const read = () => readFile('/proc/stat', 'utf8').then(cpuTimes, () => undefined);
  for (;;) {
    const a = await read();
    await new Promise((r) => setTimeout(r, 250));
    const b = await read();
    if (!a || !b) return performance.now() - started;
    const share = (b.idle - a.idle) / Math.max(1, b.total - a.total);
    if (share >= idleShare || performance.now() - started > maxMs) return performance.now() - started;
  }
}

/**
 * Throughput of several variants measured in interleaved rounds: each round runs every variant once,
 * in a rotated order, after the machine settles. Per-round ratios to `baseline` cancel the drift a
 * growing server database and a shared machine put on rates measured minutes apart.
 */
export async function interleavedThroughput<K extends string>(
  variants: Record<K, (i: number) => Promise<unknown>>,
  baseline: NoInfer<K>,
  options: { rounds: number; batch: number; inFlight: number; warmup: number; settle?: boolean },
): Promise<{ rates: Record<K, number[]>; median: Record<K, number>; ratio: Record<K, number> }> {
  const keys = Object.keys(variants) as K[];
  const rates = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (const k of keys) await throughput(options.warmup, options.inFlight, variants[k]);
  for (let round = 0; round < options.rounds; round++) {
    const shift = round % keys.length;
    for (const k of [...keys.slice(shift), ...keys.slice(0, shift)]) {
      if (options.settle !== false) await settle();
      rates[k].push(await throughput(options.batch, options.inFlight, variants[k]));
    }
  }
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const medians = Object.fromEntries(keys.map((k) => [k, Math.round(median(rates[k]) * 10) / 10])) as Record<
    K,
    number
  >;
  const ratio = Object.fromEntries(
    keys.map((k) => [k, r3(median(rates[k].map((v, i) => v / (rates[baseline][i] as number))))]),
  ) as Record<K, number>;
  return { rates, median: medians, ratio };
}
