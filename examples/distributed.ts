/**
 * `npm run demo:distributed`: one dev server, the API (API-only: no handlers) and three worker
 * PROCESSES with their own queues and concurrency (see DISTRIBUTED_WORKERS in config.ts), started
 * exactly as docker-compose.yml starts them (`examples/main.ts` with ROLE=worker, WORKER_QUEUES,
 * MAX_CONCURRENT_JOBS, WORKER_NAME). Once every worker polls, a stress test shows the jobs spread
 * across the three processes, and the stats endpoint shows which worker serves which queue.
 * Ctrl-C stops everything; `--once` exits after the stress test (0 if every worker ran jobs).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DISTRIBUTED_WORKERS, readDemoConfig, workerEnv } from './config.js';
import type { WorkerSpec } from './config.js';
import { exitWith, startDemoServer, waitForSignal } from './demo-server.js';
import { startExample } from './start.js';
import type { QueueStatsResponse, StressTestResponse } from './api/schemas.js';

const once = process.argv.includes('--once');
const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** Starts one worker process; its output is prefixed with its name. */
function startWorkerProcess(spec: WorkerSpec, temporalAddress: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...workerEnv(spec, temporalAddress) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`[${spec.name}] ${line}`));
  }
  child.once('exit', (code, signal) => console.log(`[${spec.name}] exited (${signal ?? `code ${code}`})`));
  return child;
}

async function stopWorkerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

async function getJson<T>(url: string, init?: { method: string; body: unknown }): Promise<T> {
  const res = await fetch(url, {
    method: init?.method ?? 'GET',
    ...(init ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Polls the stats endpoint until every worker process polls its queues. */
async function waitForWorkers(api: string): Promise<QueueStatsResponse> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const stats = await getJson<QueueStatsResponse>(`${api}/distributed/stats`);
    const polling = new Set(stats.workers.map((w) => w.name));
    if (DISTRIBUTED_WORKERS.every((w) => polling.has(w.name))) return stats;
    if (Date.now() > deadline)
      throw new Error(`workers not polling after 90 s (seen: ${[...polling].join(', ')})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main(): Promise<number> {
  const demo = readDemoConfig();
  const server = await startDemoServer(demo);
  const workers = DISTRIBUTED_WORKERS.map((spec) => startWorkerProcess(spec, server.address));
  try {
    const example = await startExample({
      config: { role: 'api', temporalAddress: server.address, port: demo.apiPort, host: '127.0.0.1' },
    });
    try {
      const api = example.url ?? '';
      for (const w of DISTRIBUTED_WORKERS) {
        console.log(`${w.name}: queues ${w.queues.join(', ')}, ${w.concurrency} concurrent jobs per queue`);
      }
      console.log(`API ${api} (Swagger UI ${api}/docs); waiting for the three workers to poll…`);
      const stats = await waitForWorkers(api);
      console.log('\nWorkers per queue (GET /distributed/stats):');
      for (const q of stats.queues) console.log(`  ${q.name.padEnd(9)} ${q.workers.join(', ')}`);

      const body = { jobCount: 100, workMs: 200, wait: true };
      console.log(`\nStress test: POST /distributed/stress-test ${JSON.stringify(body)}`);
      const stress = await getJson<StressTestResponse>(`${api}/distributed/stress-test`, {
        method: 'POST',
        body,
      });
      console.log(`  by queue:  ${JSON.stringify(stress.byQueue)}`);
      console.log(`  by worker: ${JSON.stringify(stress.byWorker)}   (${stress.totalMs} ms)`);
      const idle = DISTRIBUTED_WORKERS.filter((w) => !stress.byWorker?.[w.name]);
      if (idle.length) console.log(`  ✘ no jobs ran on ${idle.map((w) => w.name).join(', ')}`);
      else console.log('  ✔ jobs ran on all three worker processes');

      console.log(`\n  API          ${api}`);
      console.log(`  Swagger UI   ${api}/docs`);
      console.log(`  Temporal UI  ${server.webUi}   (Workers tab of each task queue)`);
      if (!once) {
        console.log('\nEverything keeps running: try the distributed endpoints in Swagger. Ctrl-C stops.');
        await waitForSignal();
        console.log('\nStopping…');
      }
      return idle.length ? 1 : 0;
    } finally {
      await example.close();
    }
  } finally {
    await Promise.all(workers.map(stopWorkerProcess));
    await server.teardown();
  }
}

exitWith(main(), 'Distributed demo');
