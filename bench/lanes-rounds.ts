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
  ['mediatorStandalone', 'rawStandaloneSameRequestAsMediator'],
  ['rawStandaloneSameRequestAsMediator', 'rawStandalone'],
  ['rawStandaloneWithHeartbeatTimeout', 'rawStandalone'],
];
export const START_PAIRS: [string, string][] = [
  // The control: the same raw start on both sides, so a run shows how far noise alone moves a ratio.
  ['rawWorkflowStartAgain', 'rawWorkflowStart'],
  ['mediatorEnqueue', 'rawWorkflowStart'],
  ['mediatorEnqueue', 'rawWorkflowStartWithSearchAttribute'],
  ['mediatorEnqueue', 'rawSameRequestAsMediator'],
  ['mediatorEnqueueNoSearchAttribute', 'rawWorkflowStart'],
  ['rawWorkflowStartWithSearchAttribute', 'rawWorkflowStart'],
  ['rawPlusSummary', 'rawWorkflowStart'],
  ['rawPlusEnvelope', 'rawWorkflowStart'],
  ['rawPlusIdPolicies', 'rawWorkflowStart'],
  ['rawSameRequestAsMediator', 'rawWorkflowStart'],
  ['rawActivityStart', 'rawWorkflowStart'],
  ['mediatorEnqueueStandalone', 'rawActivityStart'],
  ['mediatorEnqueueStandalone', 'rawActivityStartWithSearchAttribute'],
  ['mediatorEnqueueStandalone', 'rawActivitySameRequestAsMediator'],
  ['mediatorEnqueueStandaloneNoSearchAttribute', 'rawActivityStart'],
  ['rawActivityStartWithSearchAttribute', 'rawActivityStart'],
];

/**
 * The comparisons the issue sets targets on (and the ones that explain them: raw sending exactly
 * the mediator's request): they run more rounds than the rest, since on 2 shared cores a per-round
 * ratio swings ±20–50 % and the median of 6 moved ±10 % between runs, more than the 5 % margins.
 */
export const TARGET_PAIRS = new Set([
  'mediatorStandalone/rawWorkflow',
  'mediatorStandalone/rawStandalone',
  'rawWorkflowStartAgain/rawWorkflowStart',
  'mediatorEnqueue/rawWorkflowStart',
  'mediatorEnqueue/rawSameRequestAsMediator',
  'mediatorEnqueueStandalone/rawActivityStart',
  'mediatorEnqueueStandalone/rawActivitySameRequestAsMediator',
]);

/** The variants the target comparisons need (their latency rounds are the longer ones too). */
export const TARGET_VARIANTS = new Set([...TARGET_PAIRS].flatMap((p) => p.split('/')));

/** Median, minimum and maximum of the per-round ratios a[i] / b[i] over the rounds both ran. */
export function pair(a: number[] | undefined, b: number[] | undefined) {
  if (!a || !b) return undefined;
  const n = Math.min(a.length, b.length);
  const rs = a.slice(0, n).map((v, i) => v / (b[i] as number));
  return { ratio: r3(median(rs)), min: r3(Math.min(...rs)), max: r3(Math.max(...rs)), rounds: n };
}

/**
 * Rates in paired batches: each round runs every pair's two variants back to back, so the two
 * sides of a ratio see the same load on a shared machine; a pair's ratio is the median of its
 * per-round ratios, with their range. With `slices` > 1 a round's batch of each side is cut into
 * that many slices run alternately (ABBAAB… in even rounds, BAABBA… in odd ones) and each side's rate
 * is its calls over its time summed over the slices: a stall of a second (a checkpoint, a GC pause)
 * then hits both sides instead of one. Measured here, the same raw start against itself in 12
 * rounds of 300: per-round ratios 0.68–1.40 as two whole batches, 0.92–1.32 (interquartile
 * 0.96–1.03) in 6 slices. A variant's rate is the median of its per-round rates. Pairs in
 * {@link TARGET_PAIRS} run `targetRounds` rounds, the others `rounds`.
 */
export async function paired(
  variants: Record<string, () => Promise<unknown>>,
  pairs: [string, string][],
  settleFirst: () => Promise<unknown>,
  options: {
    rounds: number;
    targetRounds: number;
    batch: number;
    inFlight: number;
    warmup: number;
    /** @default 1 */
    slices?: number;
  },
) {
  const wanted = pairs.filter(([a, b]) => variants[a] && variants[b]);
  const keys = [...new Set(wanted.flat())];
  const rates = Object.fromEntries(keys.map((k) => [k, [] as number[]]));
  const perPair = wanted.map(() => ({ a: [] as number[], b: [] as number[] }));
  for (const k of keys) await throughput(options.warmup, options.inFlight, variants[k]!);
  const slices = options.slices ?? 1;
  const slice = Math.ceil(options.batch / slices);
  /** One round of a pair: both sides' rates over their slices, first side first. */
  const round = async (first: string, second: string) => {
    const ms = { [first]: 0, [second]: 0 };
    for (let i = 0; i < slices; i++) {
      for (const k of i % 2 === 0 ? [first, second] : [second, first]) {
        await settleFirst();
        const started = performance.now();
        await throughput(slice, options.inFlight, variants[k]!);
        ms[k]! += performance.now() - started;
      }
    }
    const rate = (k: string) => Math.round(((slice * slices) / (ms[k]! / 1000)) * 10) / 10;
    rates[first]!.push(rate(first));
    rates[second]!.push(rate(second));
    return { [first]: rate(first), [second]: rate(second) };
  };
  const roundsOf = ([a, b]: [string, string]) =>
    TARGET_PAIRS.has(`${a}/${b}`) ? options.targetRounds : options.rounds;
  const allRounds = Math.max(...wanted.map(roundsOf));
  for (let r = 0; r < allRounds; r++) {
    for (const [i, [a, b]] of wanted.entries()) {
      if (r >= roundsOf([a, b])) continue;
      const got = r % 2 === 0 ? await round(a, b) : await round(b, a);
      perPair[i]!.a.push(got[a]!);
      perPair[i]!.b.push(got[b]!);
    }
  }
  const medianOf = Object.fromEntries(keys.map((k) => [k, Math.round(median(rates[k]!) * 10) / 10]));
  const ratios = Object.fromEntries(
    wanted.map(([a, b], i) => [`${a}/${b}`, pair(perPair[i]!.a, perPair[i]!.b)]),
  );
  return { median: medianOf, ratios };
}

export function keep(scenarios: Record<string, unknown>, wanted: (key: string) => boolean): void {
  for (const k of Object.keys(scenarios)) if (!wanted(k)) delete scenarios[k];
}
