/**
 * `npm run cluster`: Temporal server 1.32 on PostgreSQL (4 history shards) with the Web UI, set up
 * by docker-compose's own scripts, in the foreground. Ctrl-C stops everything it started.
 *
 *   npm run cluster                      # gRPC 127.0.0.1:7233, Web UI http://127.0.0.1:8080 (compose's ports)
 *   npm run cluster -- --port 7633 --ui-port 8633
 *   npm run cluster -- --fresh           # a throw-away database instead of the persistent one
 *
 * Data persists between runs (PostgreSQL data directory under TEMPORAL_CLUSTER_DATA_DIR, default
 * /var/tmp/temporal-mediator/cluster-v<version> as root, else the cache directory). While it runs,
 * `<cache>/cluster-v<version>/running.json` tells `npm run demo -- --cluster` and
 * `npm run bench -- --cluster` where it is.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCluster } from './cluster.js';
import { clusterInfo, runningCluster, runningFile, serveClusterControl } from './cluster-control.js';
import { TEMPORAL_SERVER_VERSION } from './cluster-versions.js';
import { clusterCacheDir } from './provision-cluster.js';

function defaultDataDir(): string {
  if (process.env.TEMPORAL_CLUSTER_DATA_DIR) return process.env.TEMPORAL_CLUSTER_DATA_DIR;
  // As root, PostgreSQL runs as `postgres`, which cannot enter /root: keep its data elsewhere.
  if (process.getuid?.() === 0) return `/var/tmp/temporal-mediator/cluster-v${TEMPORAL_SERVER_VERSION}`;
  return join(clusterCacheDir(), 'data');
}

function ensureFree(port: number, flag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () => reject(new Error(`port ${port} is in use; pass ${flag} <free port>`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.TEMPORAL_CLUSTER_PORT ?? '7233' },
      'ui-port': { type: 'string', default: process.env.TEMPORAL_CLUSTER_UI_PORT ?? '8080' },
      fresh: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  const uiPort = Number(values['ui-port']);
  const already = runningCluster();
  if (already) throw new Error(`a cluster is already running (pid ${already.pid}) at ${already.address}`);
  await ensureFree(port, '--port');
  await ensureFree(uiPort, '--ui-port');
  // Ctrl-C reaches npm, tsx and this process alike (and tsx relays it once more): the first signal
  // starts the shutdown, the others must not cut it short. A signal during start-up stops the
  // cluster as soon as it is up (the children got the same signal from the terminal anyway).
  const stopRequested = new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
  const started = Date.now();
  const cluster = await startCluster({ port, uiPort, dataDir: values.fresh ? undefined : defaultDataDir() });
  const control = await serveClusterControl(cluster);
  writeFileSync(
    runningFile(),
    JSON.stringify({ ...clusterInfo(cluster), pid: process.pid, control: control.url }) + '\n',
  );
  console.log(
    [
      '',
      `Temporal server ${TEMPORAL_SERVER_VERSION} on PostgreSQL is up (${Math.round((Date.now() - started) / 1000)}s):`,
      `  gRPC       ${cluster.address}   (namespace ${cluster.namespace}, MediatorRequest registered)`,
      `  Web UI     ${cluster.webUi ?? '-'}`,
      `  PostgreSQL ${cluster.postgres.host}:${cluster.postgres.port}${cluster.postgres.owned ? ' (started here)' : ''}`,
      `  logs       ${cluster.logs.server}`,
      `  control    ${control.url} (TEMPORAL_CLUSTER_CONTROL)`,
      '',
      'Try: npm run demo -- --cluster    Ctrl-C stops everything.',
    ].join('\n'),
  );
  await stopRequested;
  console.log('\nStopping the cluster…');
  rmSync(runningFile(), { force: true });
  await control.close();
  await cluster.teardown();
  console.log('Stopped.');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`cluster: ${(err as Error).message}`);
    process.exit(1);
  },
);
