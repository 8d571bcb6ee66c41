/**
 * In-process overhead of `mediator.send()` compared with calling the handler directly.
 *
 *   npx tsx bench/inprocess.ts              # or: npm run bench:inprocess
 *   npx tsx bench/inprocess.ts --quick      # fewer, shorter rounds
 *   npx tsx bench/inprocess.ts --dist[=dir] # also measure the compiled library (default dir: dist)
 *
 * Each scenario awaits one call at a time (latency-bound, like a request handler would). Scenarios
 * run interleaved, round after round, so machine drift hits them all alike; the median of the rounds
 * is reported. Writes bench/results/inprocess.json. Targets: send (validation off) >= 0.5x direct;
 * send with zod input and output, on the Temporal mediator and on the in-memory one, >= 0.8x the same
 * two `parse` calls around a direct handler call ("direct + parse").
 *
 * Why `--dist`: tsx compiles src/ with esbuild's `keepNames`, which wraps every named closure in a
 * `__name(fn, 'name')` call (an `Object.defineProperty`) each time it is created. Closures created
 * per call (e.g. `invoke` in execute.ts `runHandler`) then cost a few hundred ns that the `tsc`
 * output users run in production does not pay. The compiled figures are the ones to hold the
 * target against; build first (`npm run build`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import * as sourceLib from '../src/index.js';
import type * as Lib from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const distArg = process.argv.find((a) => a === '--dist' || a.startsWith('--dist='));
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
  const memory = lib.createInMemoryMediator({ handlers: bare, logger: silent });
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
      key: `sendBehavior${suffix}`,
      label: label('send, 1 pass-through behavior'),
      op: (i) => behaved.send(Increment, { n: i }),
    },
  ];
}

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
  const libraries: Record<string, string> = { src: 'src/ through tsx (esbuild, keepNames)' };
  list.push(...(await sendScenarios(sourceLib, 'src')));
  if (distArg) {
    const dir = resolve(here, '..', distArg.includes('=') ? distArg.slice('--dist='.length) : 'dist');
    const entry = join(dir, 'src', 'index.js');
    if (!existsSync(entry)) throw new Error(`no compiled library at ${entry}; run \`npm run build\` first`);
    const compiled = (await import(pathToFileURL(entry).href)) as typeof Lib;
    libraries.dist = `${entry} (tsc output)`;
    list.push(...(await sendScenarios(compiled, 'dist')));
  }
  return { list, libraries };
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

async function main(): Promise<void> {
  const { list, libraries } = await scenarios();
  for (const s of list) await measure(s.op, WARMUP_MS);

  const samples = new Map<string, number[]>(list.map((s) => [s.key, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of list) samples.get(s.key)?.push(await measure(s.op, ROUND_MS));
  }

  const directOps = median(samples.get('direct') ?? []);
  const parseOps = median(samples.get('directParse') ?? []);
  const results: Result[] = list.map((s) => {
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
  const parseRatios = {
    send: results.find((r) => r.key === tagged('sendValidated'))?.ratioToDirectParse ?? 0,
    inMemorySend: results.find((r) => r.key === tagged('inMemorySend'))?.ratioToDirectParse ?? 0,
  };
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
