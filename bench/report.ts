/* eslint-disable @typescript-eslint/no-unsafe-member-access -- formats the untyped results JSON */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lanesMd } from './lanes-report.js';

type R = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TARGETS: [string, string, (v: number) => boolean][] = [
  ['throughputMediatorVsRaw', 'mediator throughput ≥ 0.95 × raw', (v) => v >= 0.95],
  ['p50MediatorVsRaw', 'mediator p50 ≤ 1.05 × raw', (v) => v <= 1.05],
  ['startsMediatorVsRaw', 'enqueue rate ≥ 0.95 × raw start', (v) => v >= 0.95],
  ['p50FastLaneVsRaw', 'fast lane p50 ≤ 0.5 × raw', (v) => v <= 0.5],
  ['workerRssGrowth', 'worker RSS after 10,000 ≤ 1.2 × after 1,000', (v) => v <= 1.2],
];

/** Prints the table and writes BENCHMARKS.md from both targets' latest full runs (full runs only). */
export function writeReport(r: R, options: { quick: boolean }): void {
  const lines = resultLines(r);
  if (options.quick)
    lines.unshift(
      'Quick run: small counts (RSS after 200 and 1,000 jobs), a smoke test, not figures to quote.',
      '',
    );
  console.log(lines.join('\n'));
  if (options.quick) return;
  writeFileSync(fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url)), benchmarksMd());
}

/** The tables of one run. */
function resultLines(r: R): string[] {
  const lat = r.latencyMs as R;
  const lines = [
    '| scenario | p50 ms | p95 ms | p99 ms | throughput /s (50 in flight) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...['raw', 'mediator', 'fastLane'].map(
      (k) => `| ${k} | ${lat[k].p50} | ${lat[k].p95} | ${lat[k].p99} | ${(r.throughputPerSec as R)[k]} |`,
    ),
    '',
    `| mediator without its search attribute | | | | ${(r.throughputPerSec as R).mediatorNoSearchAttribute} |`,
    '',
    `Per-round ratios to raw (medians): throughput mediator ${(r.throughputRatioToRaw as R).mediator}, fast lane ${(r.throughputRatioToRaw as R).fastLane}, mediator without search attribute ${(r.throughputRatioToRaw as R).mediatorNoSearchAttribute}; starts mediator ${(r.startsRatioToRaw as R).mediator}, without search attribute ${(r.startsRatioToRaw as R).mediatorNoSearchAttribute}.`,
    '',
    `| starts /s (fire-and-forget) | raw ${r.startsPerSec.raw} | mediator ${r.startsPerSec.mediator} | mediator without search attribute ${r.startsPerSec.mediatorNoSearchAttribute} |`,
    '| --- | --- | --- | --- |',
    ...Object.entries(r.latencyBySizeP50Ms as R).map(
      ([size, v]) => `| p50 with ${size} input | raw ${(v as R).raw} ms | mediator ${(v as R).mediator} ms |`,
    ),
    ...Object.entries(r.workerProcessesThroughputPerSec as R).map(
      ([n, v]) => `| ${n} worker process(es) | mediator ${v} /s | |`,
    ),
    `| worker peak RSS (MiB, own process) | ${Object.entries(r.workerPeakRssMiB as R)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} | |`,
    `| mediator worker RSS (MiB) | ${Object.entries(r.workerRssMiB as R)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} | |`,
    ...(r.schedules
      ? [
          `| ${r.schedules.count} recurring schedules | create ${r.schedules.createMs} ms | list ${r.schedules.listMs} ms (${r.schedules.listed} listed, visible after ${r.schedules.visibilityLagMs} ms) |`,
        ]
      : []),
    '',
    '| target | ratio | met |',
    '| --- | ---: | --- |',
    ...TARGETS.map(
      ([key, label, ok]) =>
        `| ${label} | ${(r.ratios as R)[key]} | ${ok((r.ratios as R)[key] as number) ? 'yes' : 'NO'} |`,
    ),
    ...(r.tunedServer ? tunedLines(r.tunedServer as R) : []),
  ];
  return lines;
}

function readResults(name: string): R | undefined {
  const file = fileURLToPath(new URL(`./results/${name}`, import.meta.url));
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as R) : undefined;
}

const machineLine = (r: R) => {
  const m = r.machine as R;
  const load = m.loadAvg ? ` Load average during the run: ${(m.loadAvg as number[]).join(' → ')}.` : '';
  const note = m.note ? ` ${String(m.note)}` : '';
  return `Machine: ${m.cpus} × ${m.cpu}, ${m.memGiB} GiB, Node ${m.node}; run at ${r.at}.${load}${note}`;
};

/** BENCHMARKS.md: the method, then the dev server's and the cluster's latest full runs. */
function benchmarksMd(): string {
  const dev = readResults('latest.json');
  const cluster = readResults('cluster.json');
  const md = [
    '# Benchmarks',
    '',
    'Produced by `npm run bench` (bench/run.ts); raw JSON in `bench/results/latest.json`. "raw" is a',
    'hand-written workflow calling one activity, started with `client.workflow.execute`; "mediator" is',
    '`enqueueAsync` of an equivalent request; "fastLane" is the same request with `fastLane: true`',
    "(local activity, eager start over the worker's connection). One server per target, one in-process",
    'worker with the same settings for all three.',
    '',
    'The server, the worker and the load generator share one machine, so absolute figures are low; the',
    'ratios are the point.',
    '',
    '## How it measures',
    '',
    '- Latency: sequential round trips after a warm-up, in rounds that rotate the scenario order; medians',
    '  of the rounds.',
    '- Throughput (50 in flight) and fire-and-forget start rate: interleaved rounds; each round runs every',
    '  variant once, in a rotated order, after the machine has gone idle (work a batch leaves behind on the',
    '  server, such as visibility updates, is not billed to the next). A ratio is the median of the',
    '  per-round ratios, which cancels the drift of a server whose database grows during the run. Single',
    '  batches on this machine vary by ±20 %, so compare ratios, not one batch.',
    '- "mediator without its search attribute" is the mediator with `searchAttributes: false`: the',
    '  difference to "mediator" is what indexing `MediatorRequest` (the Web UI filter) costs the server.',
    '- Worker RSS: a separate worker process per scenario; the growth ratio is the resident size after',
    '  10,000 mediator jobs over the size after 1,000, in one process.',
    '',
    ...targetsSection(dev, cluster),
    // npm run bench:lanes (bench/lanes-report.ts): kept when npm run bench rewrites the file.
    ...lanesMd(),
  ];
  return md.join('\n');
}

/** Latency on a dev server without the 50 ms transfer-queue tick (closer to a many-shard cluster). */
function tunedLines(t: R): string[] {
  const lat = t.latencyMs as R;
  return [
    '',
    `Without the dev server's 50 ms transfer-queue tick (\`${(t.dynamicConfig as string[]).join(' ')}\`):`,
    '',
    '| scenario | p50 ms | p95 ms | p99 ms |',
    '| --- | ---: | ---: | ---: |',
    ...['raw', 'mediator', 'fastLane'].map((k) => `| ${k} | ${lat[k].p50} | ${lat[k].p95} | ${lat[k].p99} |`),
    '',
    `Ratios there: mediator p50 ${t.p50MediatorVsRaw} × raw, fast lane p50 ${t.p50FastLaneVsRaw} × raw.`,
  ];
}

/** Which figures are the server's pacing and which the mediator's own; then each target's tables. */
function targetsSection(dev: R | undefined, cluster: R | undefined): string[] {
  const out = [
    '## Two targets: what is server pacing, what is the mediator',
    '',
    '- **Dev server** (`npm run bench`): the Temporal CLI v1.5.1 dev server = Temporal server 1.29.1,',
    '  SQLite, one history shard. Its transfer queue is read at most 20 times a second',
    '  (`history.transferProcessorMaxPollRPS`), so every task hand-off can wait for a 50 ms tick:',
    '  absolute latencies there are mostly that pacing.',
    '- **Cluster** (`npm run bench -- --cluster`): Temporal server 1.32.2 on PostgreSQL 15 with 4 history',
    '  shards, the topology of docker-compose.yml (scripts/cluster.ts), on the same machine. Its',
    '  latencies are the server and database doing real work (durable commits), not a tick.',
    "- The mediator's own cost is the ratio to `raw` on the same target, in the same run: both go",
    "  through the same server, so the server's pacing cancels out. Differences between the two",
    "  targets' absolute figures are the server's, not the mediator's.",
    '',
  ];
  const both = dev && cluster;
  if (both && (dev.machine as R).cpu !== (cluster.machine as R).cpu)
    out.push(
      `Note: these two runs come from different machines (${String((dev.machine as R).cpu)}, ${String(dev.at)}; ` +
        `${String((cluster.machine as R).cpu)}, ${String(cluster.at)}): compare each target's ratios, not ` +
        'absolute figures across the columns, until both are re-run on one machine.',
      '',
    );
  if (both) {
    const row = (label: string, get: (r: R) => unknown) =>
      `| ${label} | ${String(get(dev))} | ${String(get(cluster))} |`;
    out.push(
      '| figure | dev server (1.29, SQLite, 1 shard) | cluster (1.32, PostgreSQL, 4 shards) |',
      '| --- | ---: | ---: |',
      row('raw p50 ms', (r) => r.latencyMs.raw.p50),
      row('mediator p50 ms', (r) => r.latencyMs.mediator.p50),
      row('fast lane p50 ms', (r) => r.latencyMs.fastLane.p50),
      row('mediator p50 / raw', (r) => r.ratios.p50MediatorVsRaw),
      row('raw throughput /s', (r) => r.throughputPerSec.raw),
      row('mediator throughput /s', (r) => r.throughputPerSec.mediator),
      row('mediator throughput / raw', (r) => r.ratios.throughputMediatorVsRaw),
      row('raw starts /s', (r) => r.startsPerSec.raw),
      row('mediator enqueue /s', (r) => r.startsPerSec.mediator),
      row('mediator enqueue / raw start', (r) => r.ratios.startsMediatorVsRaw),
      '',
    );
  }
  for (const [title, r] of [
    ['Dev server: Temporal CLI 1.5.1 (server 1.29.1), SQLite, 1 history shard', dev],
    ['Cluster: Temporal server 1.32.2 on PostgreSQL, 4 history shards', cluster],
  ] as const) {
    out.push(`## ${title}`, '');
    out.push(...(r ? [machineLine(r), '', ...resultLines(r)] : ['Not measured yet.']), '');
  }
  return out;
}
