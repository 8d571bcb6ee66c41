/** The interleaved rounds of bench/lanes.ts and the comparisons it reports. */
import { median, throughput } from './stats.js';

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The comparisons reported, mediator first, baseline second: round trips (p50 and throughput) and
 * starts. Each ratio is the median of per-round ratios; `spread` is their range.
 */
export const ROUND_TRIP_PAIRS: [string, string][] = [
  ['mediatorWorkflow', 'rawWorkflow'],
  ['mediatorWorkflow', 'rawWorkflowWithSearchAttribute'],
  ['mediatorWorkflowNoSearchAttribute', 'rawWorkflow'],
  ['mediatorFast', 'rawWorkflow'],
  ['mediatorStandalone', 'rawWorkflow'],
  ['rawStandalone', 'rawWorkflow'],
  ['mediatorStandalone', 'rawStandalone'],
  ['mediatorStandalone', 'rawStandaloneWithSearchAttribute'],
  ['mediatorStandaloneNoSearchAttribute', 'rawStandalone'],
];
export const START_PAIRS: [string, string][] = [
  ['mediatorEnqueue', 'rawWorkflowStart'],
  ['mediatorEnqueue', 'rawWorkflowStartWithSearchAttribute'],
  ['mediatorEnqueue', 'rawSameRequestAsMediator'],
  ['mediatorEnqueueNoSearchAttribute', 'rawWorkflowStart'],
  ['mediatorEnqueueStandalone', 'rawActivityStart'],
  ['mediatorEnqueueStandalone', 'rawActivityStartWithSearchAttribute'],
  ['mediatorEnqueueStandalone', 'rawActivitySameRequestAsMediator'],
  ['mediatorEnqueueStandaloneNoSearchAttribute', 'rawActivityStart'],
];

/** Median, minimum and maximum of the per-round ratios a[i] / b[i]. */
export function pair(a: number[] | undefined, b: number[] | undefined) {
  if (!a || !b) return undefined;
  const rs = a.map((v, i) => v / (b[i] as number));
  return { ratio: r3(median(rs)), min: r3(Math.min(...rs)), max: r3(Math.max(...rs)) };
}

/**
 * Rates of several variants in interleaved rounds (rotated order, a brief settle before each batch);
 * ratios to `baseline` are medians of per-round ratios. stats.ts's `interleavedThroughput` waits up
 * to 20 s for an idle machine, which a shared machine never is.
 */
export async function interleaved(
  variants: Record<string, () => Promise<unknown>>,
  baseline: string,
  settleFirst: () => Promise<unknown>,
  options: { rounds: number; batch: number; inFlight: number; warmup: number },
) {
  const keys = Object.keys(variants);
  const rates = Object.fromEntries(keys.map((k) => [k, [] as number[]]));
  for (const k of keys) await throughput(options.warmup, options.inFlight, variants[k]!);
  for (let round = 0; round < options.rounds; round++) {
    const shift = round % keys.length;
    for (const k of [...keys.slice(shift), ...keys.slice(0, shift)]) {
      await settleFirst();
      rates[k]!.push(await throughput(options.batch, options.inFlight, variants[k]!));
    }
  }
  const medianOf = Object.fromEntries(keys.map((k) => [k, Math.round(median(rates[k]!) * 10) / 10]));
  const ratio = Object.fromEntries(
    keys.map((k) => [k, r3(median(rates[k]!.map((v, i) => v / (rates[baseline]![i] as number))))]),
  );
  return { rates, median: medianOf, ratio };
}

export function keep(scenarios: Record<string, unknown>, wanted: (key: string) => boolean): void {
  for (const k of Object.keys(scenarios)) if (!wanted(k)) delete scenarios[k];
}
