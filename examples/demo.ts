/**
 * `npm run demo`: provisions the Temporal CLI if needed, starts an embedded dev server persisting to
 * `.temporal/demo.db` (Web UI on http://localhost:8233), a worker serving every queue and the
 * example API (http://localhost:3000, Swagger UI at /docs), then runs a guided tour of each kind of
 * job. Ctrl-C stops everything. `--once` runs the tour and exits: 0 only if every step succeeded.
 * `--cluster` runs it on Temporal 1.32 on PostgreSQL instead: the cluster `npm run cluster` serves,
 * or one started for the demo (scripts/cluster-attach.ts).
 *
 * Ports and the database file come from TEMPORAL_PORT, TEMPORAL_UI_PORT, PORT and DEMO_DB.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { readDemoConfig } from './config.js';
import type { DemoConfig } from './config.js';
import { attachOrStartCluster } from '../scripts/cluster-attach.js';
import { exitWith, startDemoServer, waitForSignal } from './demo-server.js';
import { startExample } from './start.js';
import { runTour } from './tour.js';

const once = process.argv.includes('--once');
const onCluster = process.argv.includes('--cluster');
// Keep the Temporal SDK's own lines (worker state changes, the retried attempt's stack trace) out of
// the tour's output; the handlers' log lines still show.
Runtime.install({ logger: new DefaultLogger('ERROR') });

async function clusterServer(demo: DemoConfig) {
  const cluster = await attachOrStartCluster({ port: demo.temporalPort, uiPort: demo.uiPort });
  console.log(`Temporal 1.32 cluster at ${cluster.address} (${cluster.origin}); Web UI ${cluster.webUi}`);
  return cluster;
}

async function main(): Promise<number> {
  const demo = readDemoConfig();
  const server = onCluster ? await clusterServer(demo) : await startDemoServer(demo);
  try {
    const example = await startExample({
      config: {
        role: 'both',
        temporalAddress: server.address,
        port: demo.apiPort,
        host: '127.0.0.1',
        workerName: 'demo-worker',
      },
    });
    try {
      const url = example.url ?? '';
      const queues = example.config.workerQueues.join(', ');
      console.log(`API ${url} (Swagger UI ${url}/docs); worker 'demo-worker' on ${queues}\n`);
      console.log('Guided tour:');
      const tour = await runTour(url);
      console.log(`\nTour finished: ${tour.passed} step(s) passed, ${tour.failed} failed.`);
      console.log(`  API          ${url}`);
      console.log(`  Swagger UI   ${url}/docs   (OpenAPI: ${url}/openapi.json)`);
      console.log(`  Temporal UI  ${server.webUi}   (filter jobs by MediatorRequest)`);
      if (!once) {
        console.log('\nThe worker and the API keep running: try the endpoints in Swagger. Ctrl-C stops.');
        await Promise.race([waitForSignal(), example.done]);
        console.log('\nStopping…');
      }
      return tour.failed === 0 ? 0 : 1;
    } finally {
      await example.close();
    }
  } finally {
    await server.teardown();
  }
}

exitWith(main(), 'Demo');
