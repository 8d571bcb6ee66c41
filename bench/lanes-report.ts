/* eslint-disable @typescript-eslint/no-unsafe-member-access -- formats the untyped results JSON */
/**
 * The "Lanes" section of BENCHMARKS.md, from `npm run bench:lanes` results
 * (bench/results/lanes-cluster.json, lanes-dev.json). `npm run bench` (report.ts) includes it when it
 * rewrites the file; `npm run bench:lanes` replaces just this section.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type R = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const START = '<!-- lanes:start -->';
const END = '<!-- lanes:end -->';
const benchmarksFile = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

function read(name: string): R | undefined {
  const file = fileURLToPath(new URL(`./results/${name}`, import.meta.url));
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as R) : undefined;
}

const LABELS: Record<string, string> = {
  rawWorkflow: 'raw workflow + activity (`client.workflow.execute`)',
  rawStandalone: 'raw standalone activity (`client.activity.execute`)',
  mediatorWorkflow: "mediator, `lane: 'workflow'` (default)",
  mediatorFast: "mediator, `lane: 'fast'`",
  mediatorStandalone: "mediator, `lane: 'standalone'`",
  rawWorkflowStart: 'raw `client.workflow.start`',
  rawPlusSummary: '… + static summary (the request name)',
  rawPlusSearchAttribute: '… + `MediatorRequest` search attribute',
  rawPlusEnvelope: "… + the mediator's envelope as the argument",
  rawPlusIdPolicies: '… + id conflict/reuse policies',
  mediatorEnqueue: "mediator `enqueue`, `lane: 'workflow'`",
  mediatorEnqueueNoSearchAttribute: '… with `searchAttributes: false`',
  rawActivityStart: 'raw `client.activity.start`',
  rawStandaloneWithSearchAttribute: 'raw standalone activity + `MediatorRequest` search attribute',
  mediatorStandaloneNoSearchAttribute: "mediator, `lane: 'standalone'`, `searchAttributes: false`",
  mediatorEnqueueStandalone: "mediator `enqueue`, `lane: 'standalone'`",
  mediatorEnqueueStandaloneNoSearchAttribute: '… with `searchAttributes: false`',
};

function runLines(r: R): string[] {
  const lat = r.latencyMs as R;
  const tput = r.throughputPerSec as R;
  const tr = r.throughputRatioToRawWorkflow as R;
  const out = [
    `Run at ${r.at ?? 'unknown time'}${r.quick ? ' (quick run: not figures to quote)' : ''}; ${r.cpus} cores shared by server, worker and load.`,
    '',
    '| round trip | p50 ms | p95 ms | p50 / raw workflow | throughput /s (50 in flight) | throughput / raw workflow |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...Object.keys(lat).map(
      (k) =>
        `| ${LABELS[k] ?? k} | ${lat[k].p50} | ${lat[k].p95} | ${lat[k].p50RatioToRawWorkflow} | ${tput[k]} | ${tr[k]} |`,
    ),
    '',
    '| start (fire-and-forget, 50 in flight, no worker) | starts /s | / raw workflow start |',
    '| --- | ---: | ---: |',
    ...Object.keys(r.startsPerSec as R).map(
      (k) =>
        `| ${LABELS[k] ?? k} | ${(r.startsPerSec as R)[k]} | ${(r.startsRatioToRawWorkflowStart as R)[k]} |`,
    ),
  ];
  if (lat.mediatorStandalone) {
    out.push(
      '',
      `Mediator standalone vs raw standalone: p50 ${lat.mediatorStandalone.p50RatioToRawStandalone}×, ` +
        `throughput ${r.standaloneThroughputRatioToRawStandalone}×, start rate ${r.standaloneStartsRatioToRawActivityStart}×.`,
    );
  }
  return out;
}

/** What the runs above show; written by hand from them (see the README's Performance section). */
const FINDINGS = [
  '### What the figures say',
  '',
  '- **Standalone lane vs the workflow lane** (cluster): about half the p50 (0.48×) and twice the',
  '  throughput (2.1×) of a workflow calling one activity, which is what the workflow lane runs per job.',
  '- **Mediator standalone vs raw `client.activity.execute`**: with `searchAttributes: false` the',
  '  mediator is within 5 % on p50, throughput and start rate; with the `MediatorRequest` search',
  '  attribute it is 1.08× p50, 0.92× throughput and 0.84× start rate in the focused run, so the',
  '  attribute is what is left (a raw start with the attribute did not show the cost in round trips,',
  '  so the evidence is not clean).',
  "- **The default lane's start rate**: each part of the mediator's start added alone to a raw start",
  '  (summary, envelope, id policies, search attribute) stays within the noise here; runs of',
  '  `npm run bench` (settled to an idle machine, 10 rounds) put the whole gap on the search attribute',
  '  (cluster: 0.825× with it, 1.019× without). Both dev targets run with the search-attribute cache',
  '  off: the Temporal CLI turns it off unless `system.forceSearchAttributesCacheRefreshOnRead` is',
  "  given, and the cluster's dynamic config (from the samples) forces a refresh on every read, so",
  '  each start carrying an attribute reads them from the database; production servers cache them.',
  '  With the cache on (`--sa-cache`) the mediator enqueued 1.18× the raw start rate and the attribute',
  '  cost nothing measurable.',
  '- Batches on this shared 2-core machine vary by ±20–30 % (the start rows of one run differ by that',
  '  much between variants sending nearly the same bytes): compare ratios over runs, not one batch.',
];

/** The section, between markers so `npm run bench:lanes` can replace it in place. */
export function lanesMd(): string[] {
  const cluster = read('lanes-cluster.json');
  const dev = read('lanes-dev.json');
  const focused = read('lanes-cluster-standalone.json');
  const cached = read('lanes-dev-sa-cache.json');
  return [
    START,
    '## Lanes',
    '',
    'Produced by `npm run bench:lanes -- --cluster` (bench/lanes.ts; `npm run bench:lanes` for the dev',
    'server, which has no standalone activities). One server, one in-process worker, interleaved rounds',
    '(rotated order; the machine is shared, so each latency batch waits at most 2 s for it to settle);',
    'ratios are medians of per-round ratios, which cancel drift between rounds.',
    '',
    '| lane | costs | gives up |',
    '| --- | --- | --- |',
    "| `'workflow'` (default) | a workflow + an activity: what a hand-written one costs | nothing: console, fan-out, schedules, history |",
    "| `'fast'` | a workflow + a local activity, eager start | heartbeats, another queue than the job's; attempts are markers |",
    "| `'standalone'` | one standalone activity (server ≥ 1.32) | the Web UI console and history (`logs()`: last 50 lines from heartbeat details), fan-out, schedules, waiting for a newer contract, `retry()` |",
    '',
    '### Cluster: Temporal 1.32.2 on PostgreSQL, 4 history shards',
    '',
    ...(cluster ? runLines(cluster) : ['Not measured yet.']),
    '',
    '### Cluster, the standalone comparisons with more samples (`npm run bench:lanes -- --cluster --standalone`)',
    '',
    ...(focused ? runLines(focused) : ['Not measured yet.']),
    '',
    '### Dev server: Temporal CLI 1.5.1 (server 1.29.1), SQLite',
    '',
    ...(dev ? runLines(dev) : ['Not measured yet.']),
    '',
    '### Dev server with its search-attribute cache on (`npm run bench:lanes -- --sa-cache`)',
    '',
    ...(cached ? runLines(cached) : ['Not measured yet.']),
    '',
    ...FINDINGS,
    END,
  ];
}

/** Replaces the section in BENCHMARKS.md (or appends it). */
export function writeLanesSection(): void {
  const text = existsSync(benchmarksFile) ? readFileSync(benchmarksFile, 'utf8') : '# Benchmarks\n';
  const section = lanesMd().join('\n');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  const next =
    a >= 0 && b > a
      ? text.slice(0, a) + section + text.slice(b + END.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(benchmarksFile, next);
}
