/**
 * `npm run bench:start-requests [-- --cluster]`: what each start sends, raw against the mediator.
 *
 * 1. The exact request: every variant starts once on a queue without workers and the
 *    StartWorkflowExecutionRequest / StartActivityExecutionRequest it sent is captured (the gRPC
 *    method is wrapped), with its encoded size in bytes and the other calls the start made.
 * 2. Client CPU per start: the same variants with the start call answered in process (no server),
 *    interleaved rounds, µs per start. On a machine the load generator shares with the server, that
 *    time is taken from the server.
 *
 * Without `--cluster` it runs on a dev server (no standalone activities). Writes
 * bench/results/start-requests-<target>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { createRequire } from 'node:module';
import type ProtoModule from '@temporalio/proto';
import { attachOrStartCluster } from '../scripts/cluster-attach.js';
import { startDevServer } from '../scripts/dev-server.js';
import { MEDIATOR_REQUEST, createMediator } from '../src/index.js';
import { uuidv7 } from '../src/core/ids.js';
import { consoleLogger } from '../src/core/logger.js';
import { BenchEcho } from './setup.js';
import { median } from './stats.js';

const onCluster = process.argv.includes('--cluster');
const smoke = process.argv.includes('--smoke');
const CALLS = smoke ? 200 : 3_000;
const ROUNDS = smoke ? 1 : 5;
const log = (m: string) => console.error(`[bench:start-requests] ${m}`);
// The SDK's own copy (CommonJS: the namespaces sit on the default export), as src/sdk/proto.ts loads it.
const proto = createRequire(import.meta.url)('@temporalio/proto') as typeof ProtoModule;
const ws = proto.temporal.api.workflowservice.v1;

type Service = Record<string, (req: unknown) => Promise<unknown>>;

async function main() {
  const server = onCluster ? await attachOrStartCluster({ uiPort: false }) : await startDevServer();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const quiet = consoleLogger('warn');
  const nowhere = 'bench-start-requests-no-worker';
  const mediator = await createMediator({ client, logger: quiet, defaults: { queue: nowhere } });
  const plain = await createMediator({
    client,
    logger: quiet,
    searchAttributes: false,
    defaults: { queue: nowhere },
  });

  // Wrap every method: record calls, capture start requests, answer starts in process when stubbed.
  const svc = connection.workflowService as unknown as Service;
  let calls: string[] = [];
  let captured: { method: string; req: unknown } | undefined;
  let stub = false;
  const starts = new Set(['startWorkflowExecution', 'startActivityExecution']);
  for (const [name, fn] of Object.entries(svc)) {
    if (typeof fn !== 'function') continue;
    svc[name] = (req: unknown) => {
      calls.push(name);
      if (starts.has(name)) {
        captured = { method: name, req };
        if (stub) return Promise.resolve({ runId: uuidv7(), started: true });
      }
      return fn(req);
    };
  }

  const text = 'hello';
  const rawRetry = { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2 };
  const sa = [{ key: MEDIATOR_REQUEST, value: 'BenchEcho' }];
  const rawStart = (extra: object = {}) =>
    client.workflow.start('rawWorkflow', {
      taskQueue: nowhere,
      workflowId: `s-${uuidv7()}`,
      args: [{ text }],
      ...extra,
    });
  const rawActivity = (extra: object = {}) =>
    client.activity.start('rawEcho', {
      id: `s-sa-${uuidv7()}`,
      taskQueue: nowhere,
      args: [{ text }],
      startToCloseTimeout: '1 minute',
      retry: rawRetry,
      ...extra,
    });
  const variants: Record<string, () => Promise<unknown>> = {
    rawWorkflowStart: () => rawStart(),
    rawWorkflowStartWithSearchAttribute: () => rawStart({ typedSearchAttributes: sa }),
    mediatorEnqueue: () => mediator.enqueue(BenchEcho, { text }),
    mediatorEnqueueNoSearchAttribute: () => plain.enqueue(BenchEcho, { text }),
    ...(onCluster
      ? {
          rawActivityStart: () => rawActivity(),
          rawActivityStartWithSearchAttribute: () => rawActivity({ typedSearchAttributes: sa }),
          mediatorEnqueueStandalone: () => mediator.enqueue(BenchEcho, { text }, { lane: 'standalone' }),
          mediatorEnqueueStandaloneNoSearchAttribute: () =>
            plain.enqueue(BenchEcho, { text }, { lane: 'standalone' }),
        }
      : {}),
  };

  // 1. The requests, against the server.
  const requests: Record<string, unknown> = {};
  for (const [k, run] of Object.entries(variants)) {
    calls = [];
    captured = undefined;
    await run();
    const c = captured as { method: string; req: unknown } | undefined;
    if (!c) throw new Error(`${k}: no start request captured`);
    const req = c.req as Record<string, unknown>;
    const opts = { longs: Number };
    let bytes: number;
    let request: unknown;
    if (c.method === 'startWorkflowExecution') {
      const m = ws.StartWorkflowExecutionRequest.fromObject(req);
      bytes = ws.StartWorkflowExecutionRequest.encode(m).finish().length;
      request = ws.StartWorkflowExecutionRequest.toObject(m, opts);
    } else {
      const m = ws.StartActivityExecutionRequest.fromObject(req);
      bytes = ws.StartActivityExecutionRequest.encode(m).finish().length;
      request = ws.StartActivityExecutionRequest.toObject(m, opts);
    }
    requests[k] = { calls: [...calls], bytes, request: readable(request) };
    log(`${k}: ${c.method}, ${bytes} bytes, calls: ${calls.join(', ')}`);
  }

  // 2. Client CPU per start, server out of the loop.
  stub = true;
  const us = Object.fromEntries(Object.keys(variants).map((k) => [k, [] as number[]]));
  const keys = Object.keys(variants);
  for (const k of keys) for (let i = 0; i < 200; i++) await variants[k]!();
  for (let round = 0; round < ROUNDS; round++) {
    const shift = round % keys.length;
    for (const k of [...keys.slice(shift), ...keys.slice(0, shift)]) {
      const t = performance.now();
      for (let i = 0; i < CALLS; i++) await variants[k]!();
      us[k]!.push(((performance.now() - t) * 1000) / CALLS);
    }
  }
  const clientUsPerStart = Object.fromEntries(keys.map((k) => [k, Math.round(median(us[k]!) * 10) / 10]));
  log(`client µs per start (stubbed server): ${JSON.stringify(clientUsPerStart)}`);

  const results = {
    target: onCluster ? 'cluster' : 'dev',
    at: new Date().toISOString(),
    requests,
    clientUsPerStart,
  };
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/start-requests-${onCluster ? 'cluster' : 'dev'}.json`;
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  log(`wrote ${file}`);
  await mediator.close();
  await plain.close();
  await connection.close();
  await server.teardown();
}

/** Payload data as text (JSON payloads), ids elided to their shape. */
function readable(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(readable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readable(v)]));
  }
  return value;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
