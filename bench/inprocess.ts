/**
 * In-process overhead of `mediator.send()` compared with calling the handler directly.
 *
 *   npx tsx bench/inprocess.ts              # or: npm run bench:inprocess
 *   npx tsx bench/inprocess.ts --quick      # fewer, shorter rounds
 *   npx tsx bench/inprocess.ts --dist[=dir] # also measure the compiled library (default dir: dist),
 *                                           # in a child process with its own baselines
 *
 * Each scenario awaits one call at a time (latency-bound, like a request handler would). Scenarios
 * run interleaved, round after round, so machine drift hits them all alike; the median of the rounds
 * is reported. With `--dist` the compiled library runs in a child process with its own two
 * baselines (one copy of the library per process, as users run it; see `distResults`). Writes bench/results/inprocess.json. Targets: send (validation off) >= 0.5x direct;
 * send with zod input and output, on the Temporal mediator and on the in-memory one, >= 0.8x the same
 * two `parse` calls around a direct handler call ("direct + parse").
 *
 * Why `--dist`: tsx compiles src/ with esbuild's `keepNames`, which wraps every named closure in a
 * `__name(fn, 'name')` call (an `Object.defineProperty`) each time it is created. A closure created
 * per call (the `next` of each handle behavior in pipeline.ts `composeHandle`) then costs a few hundred ns that the `tsc` output users run in production does not
 * pay. The compiled figures are the ones to hold the targets against; build first (`npm run build`).
 *
 * Where the time goes (`node --cpu-prof` on a driver of the compiled library; BENCHMARKS.md, "In-process
 * send"): the two zod parses and the promise hop dominate `send`. Dispatch records cost an in-memory
 * `send` a clock read and the scavenger copying the inputs they keep: off by default, the row with
 * `maxRecords: 10,000` (what the test harness keeps) shows their price.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import * as sourceLib from '../src/index.js';
import type * as Lib from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const distArg = process.argv.find((a) => a === '--dist' || a.startsWith('--dist='));
const child = process.argv.includes('--child');
const CHILD_PREFIX = '@@inprocess-results ';
const ROUNDS = quick ? 3 : 9;
const ROUND_MS = quick ? 100 : 300;
const WARMUP_MS = quick ? 200 : 1_000;
const TARGET_RATIO = 0.5;
const PARSE_TARGET_RATIO = 0.8;

// A trivial async handler, as users write them: the baseline is one async call and one await.
// eslint-disable-next-line @typescript-eslint/require-await
const handler = async (input: { n: number }) => ({ n: input.n + 1 });
const silent: Lib.Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

interface Scenario {
  key: string;
  label: string;
  op: (i: number) => Promise<unknown>;
}

/** The three `send` scenarios, built with one copy of the library (source via tsx, or compiled). */
async function sendScenarios(lib: typeof Lib, tag: string): Promise<Scenario[]> {
  const Increment = lib.defineCommand({
    name: 'Increment',
    input: z.object({ n: z.number() }),
    output: z.object({ n: z.number() }),
  });
  const passThrough: Lib.HandleBehavior = (_ctx, next) => next();
  const bare = lib.createHandlers().handle(Increment, handler);
  const withBehavior = lib.createHandlers({ behaviors: [passThrough] }).handle(Increment, handler);
  const noValidation = { input: false, output: false };
  const plain = await lib.createMediator({ handlers: bare, validate: noValidation, logger: silent });
  const validated = await lib.createMediator({ handlers: bare, logger: silent });
  const behaved = await lib.createMediator({
    handlers: withBehavior,
    validate: noValidation,
    logger: silent,
  });
  // The default: no dispatch records (they are what tests read; a single-instance app has no use).
  const memory = lib.createInMemoryMediator({ handlers: bare, logger: silent });
  // With the records the test harness keeps (createTestHarness: maxRecords 10,000).
  const memoryRecords = lib.createInMemoryMediator({ handlers: bare, logger: silent, maxRecords: 10_000 });
  const suffix = tag === 'src' ? '' : `:${tag}`;
  const label = (text: string) => (tag === 'src' ? text : `${text} [${tag}]`);
  return [
    {
      key: `send${suffix}`,
      label: label('send, validation off'),
      op: (i) => plain.send(Increment, { n: i }),
    },
    {
      key: `sendValidated${suffix}`,
      label: label('send, validation on'),
      op: (i) => validated.send(Increment, { n: i }),
    },
    {
      key: `inMemorySend${suffix}`,
      label: label('in-memory send, validation on'),
      op: (i) => memory.send(Increment, { n: i }),
    },
    {
      key: `inMemorySendRecords${suffix}`,
      label: label('in-memory send, validation on, maxRecords: 10,000 (the test harness)'),
      op: (i) => memoryRecords.send(Increment, { n: i }),
    },
    {
      key: `sendBehavior${suffix}`,
      label: label('send, 1 pass-through behavior'),
      op: (i) => behaved.send(Increment, { n: i }),
    },
  ];
}

/** The baselines and one library's `send` scenarios: src through tsx, or (in the child) the compiled one. */
async function scenarios(): Promise<{ list: Scenario[]; libraries: Record<string, string> }> {
  const inputSchema = z.object({ n: z.number() });
  const outputSchema = z.object({ n: z.number() });
  const list: Scenario[] = [
    { key: 'direct', label: 'await handler(input)', op: (i) => handler({ n: i }) },
    {
      key: 'directParse',
      label: 'direct + parse (input.parse, handler, output.parse)',
      op: async (i) => outputSchema.parse(await handler(inputSchema.parse({ n: i }))),
    },
  ];
  if (!child) {
    list.push(...(await sendScenarios(sourceLib, 'src')));
    return { list, libraries: { src: 'src/ through tsx (esbuild, keepNames)' } };
  }
  const entry = distEntry();
  const compiled = (await import(pathToFileURL(entry).href)) as typeof Lib;
  list.push(...(await sendScenarios(compiled, 'dist')));
  return { list, libraries: { dist: `${entry} (tsc output, measured in its own process)` } };
}

function distEntry(): string {
  const arg = distArg ?? '--dist';
  const dir = resolve(here, '..', arg.includes('=') ? arg.slice('--dist='.length) : 'dist');
  const entry = join(dir, 'src', 'index.js');
  if (!existsSync(entry)) throw new Error(`no compiled library at ${entry}; run \`npm run build\` first`);
  return entry;
}

/**
 * The compiled library's results, measured in a child process (this script with `--child`): one
 * copy of the library per process, as users run it. In one process with the tsx copy of src/, the
 * code both copies share (zod, the handler, the promise machinery) carries type feedback from both,
 * and the compiled figures came out 10–20% lower than in a process of their own.
 */
function distResults(): Result[] {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--child'];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const line = run.stdout.split('\n').find((l) => l.startsWith(CHILD_PREFIX));
  if (run.status !== 0 || !line) throw new Error(`the dist child failed (${run.status}): ${run.stderr}`);
  const results = JSON.parse(line.slice(CHILD_PREFIX.length)) as Result[];
  // Its own baselines, tagged like the rest of its rows.
  return results.map((r) =>
    r.key === 'direct' || r.key === 'directParse'
      ? { ...r, key: `${r.key}:dist`, label: `${r.label} [dist]` }
      : r,
  );
}

/** Runs `op` one call at a time for about `ms` milliseconds; returns operations per second. */
async function measure(op: Scenario['op'], ms: number): Promise<number> {
  let count = 0;
  const started = performance.now();
  const deadline = started + ms;
  // Check the clock every 256 calls so reading it does not dominate a trivial operation.
  for (;;) {
    for (let j = 0; j < 256; j++) await op(count++);
    if (performance.now() >= deadline) break;
  }
  return count / ((performance.now() - started) / 1_000);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

interface Result {
  key: string;
  label: string;
  opsPerSec: number;
  nsPerOp: number;
  min: number;
  max: number;
  rounds: number[];
  ratioToDirect: number;
  ratioToDirectParse: number;
}

/** Warms up, runs the rounds, and rates each scenario against this process's two baselines. */
async function measureAll(list: Scenario[]): Promise<Result[]> {
  for (const s of list) await measure(s.op, WARMUP_MS);
  const samples = new Map<string, number[]>(list.map((s) => [s.key, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of list) samples.get(s.key)?.push(await measure(s.op, ROUND_MS));
  }
  const directOps = median(samples.get('direct') ?? []);
  const parseOps = median(samples.get('directParse') ?? []);
  return list.map((s) => {
    const rounds = samples.get(s.key) ?? [];
    const opsPerSec = median(rounds);
    return {
      key: s.key,
      label: s.label,
      opsPerSec: Math.round(opsPerSec),
      nsPerOp: Math.round(1e9 / opsPerSec),
      min: Math.round(Math.min(...rounds)),
      max: Math.round(Math.max(...rounds)),
      rounds: rounds.map(Math.round),
      ratioToDirect: Math.round((opsPerSec / directOps) * 1_000) / 1_000,
      ratioToDirectParse: Math.round((opsPerSec / parseOps) * 1_000) / 1_000,
    };
  });
}

async function main(): Promise<void> {
  const { list, libraries } = await scenarios();
  if (child) {
    console.log(`${CHILD_PREFIX}${JSON.stringify(await measureAll(list))}`);
    return;
  }
  const results = await measureAll(list);
  if (distArg) {
    results.push(...distResults());
    libraries.dist = `${distEntry()} (tsc output, measured in its own process)`;
  }

  printTable(results);
  const ratioOf = (key: string) => results.find((r) => r.key === key)?.ratioToDirect;
  const headline = distArg ? 'send:dist' : 'send';
  const ratio = ratioOf(headline) ?? 0;
  const verdict = ratio >= TARGET_RATIO ? 'meets' : 'MISSES';
  console.log('');
  for (const [tag, key] of [
    ['src', 'send'],
    ['dist', 'send:dist'],
  ] as const) {
    const r = ratioOf(key);
    if (r !== undefined) console.log(`send (validation off) / direct [${tag}] = ${r.toFixed(3)}x`);
  }
  console.log(
    `${verdict} the ${TARGET_RATIO}x target (judged on ${distArg ? 'the compiled library' : 'src via tsx'})`,
  );
  const tagged = (key: string) => (distArg ? `${key}:dist` : key);
  const parseRatioOf = (key: string) => results.find((r) => r.key === key)?.ratioToDirectParse;
  const parseRatios = {
    send: parseRatioOf(tagged('sendValidated')) ?? 0,
    inMemorySend: parseRatioOf(tagged('inMemorySend')) ?? 0,
  };
  const inMemoryRecords = parseRatioOf(tagged('inMemorySendRecords'));
  // Side by side: each library's two validated sends against direct + parse, then the verdict.
  for (const [tag, suffix] of [
    ['src', ''],
    ['dist', ':dist'],
  ] as const) {
    const send = parseRatioOf(`sendValidated${suffix}`);
    const memory = parseRatioOf(`inMemorySend${suffix}`);
    const kept = parseRatioOf(`inMemorySendRecords${suffix}`);
    if (send === undefined || memory === undefined) continue;
    console.log(
      `validation on / direct + parse [${tag}]: send = ${send.toFixed(3)}x, in-memory send = ${memory.toFixed(3)}x` +
        (kept === undefined ? '' : `, in-memory send keeping 10,000 records = ${kept.toFixed(3)}x`),
    );
  }
  for (const [name, r] of Object.entries(parseRatios)) {
    console.log(
      `${name} (validation on) / direct + parse = ${r.toFixed(3)}x: ${r >= PARSE_TARGET_RATIO ? 'meets' : 'MISSES'} the ${PARSE_TARGET_RATIO}x target`,
    );
  }

  const out = join(here, 'results', 'inprocess.json');
  mkdirSync(dirname(out), { recursive: true });
  const report = {
    benchmark: 'inprocess',
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    method: { rounds: ROUNDS, roundMs: ROUND_MS, warmupMs: WARMUP_MS, statistic: 'median', concurrency: 1 },
    libraries,
    target: { sendOverDirect: TARGET_RATIO, judgedOn: headline, met: ratio >= TARGET_RATIO },
    sendOverDirect: ratio,
    parseTarget: {
      overDirectParse: PARSE_TARGET_RATIO,
      met: Object.values(parseRatios).every((r) => r >= PARSE_TARGET_RATIO),
    },
    overDirectParse: parseRatios,
    inMemoryRecordsOverDirectParse: inMemoryRecords,
    results,
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

function printTable(results: Result[]): void {
  const rows = results.map((r) => [
    r.label,
    r.opsPerSec.toLocaleString('en-US'),
    `${r.nsPerOp.toLocaleString('en-US')} ns`,
    `${r.min.toLocaleString('en-US')}–${r.max.toLocaleString('en-US')}`,
    `${r.ratioToDirect.toFixed(3)}x`,
    `${r.ratioToDirectParse.toFixed(3)}x`,
  ]);
  const header = ['scenario', 'ops/s (median)', 'per op', 'range ops/s', 'vs direct', 'vs direct+parse'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(`in-process mediator overhead (${ROUNDS} rounds × ${ROUND_MS} ms, median)\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

await main();
