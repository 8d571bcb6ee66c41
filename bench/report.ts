/* eslint-disable @typescript-eslint/no-unsafe-member-access -- formats the untyped results JSON */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type R = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TARGETS: [string, string, (v: number) => boolean][] = [
  ['throughputMediatorVsRaw', 'mediator throughput ≥ 0.95 × raw', (v) => v >= 0.95],
  ['p50MediatorVsRaw', 'mediator p50 ≤ 1.05 × raw', (v) => v <= 1.05],
  ['startsMediatorVsRaw', 'enqueue rate ≥ 0.95 × raw start', (v) => v >= 0.95],
  ['p50FastLaneVsRaw', 'fast lane p50 ≤ 0.5 × raw', (v) => v <= 0.5],
  ['workerRssGrowth', 'worker RSS after 10,000 ≤ 1.2 × after 1,000', (v) => v <= 1.2],
];

/** Prints the table and writes BENCHMARKS.md (full runs only). */
export function writeReport(r: R, options: { quick: boolean }): void {
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
  if (options.quick)
    lines.unshift(
      'Quick run: small counts (RSS after 200 and 1,000 jobs), a smoke test, not figures to quote.',
      '',
    );
  console.log(lines.join('\n'));
  if (options.quick) return;
  const m = r.machine as R;
  const md = [
    '# Benchmarks',
    '',
    'Produced by `npm run bench` (bench/run.ts); raw JSON in `bench/results/latest.json`. "raw" is a',
    'hand-written workflow calling one activity, started with `client.workflow.execute`; "mediator" is',
    '`enqueueAsync` of an equivalent request; "fastLane" is the same request with `fastLane: true`',
    "(local activity, eager start over the worker's connection). One dev server, one in-process worker",
    'with the same settings for all three.',
    '',
    `Machine: ${m.cpus} × ${m.cpu}, ${m.memGiB} GiB, Node ${m.node}; run at ${r.at}. The dev server, the`,
    'worker and the load generator share these cores, so absolute figures are low; the ratios are the point.',
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
    '## Results',
    '',
    ...lines,
    '',
  ].join('\n');
  writeFileSync(fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url)), md);
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
