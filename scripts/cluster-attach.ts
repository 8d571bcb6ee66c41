/**
 * `--cluster` of the demo and the benchmarks: use the cluster that is already running — the one
 * announced in `TEMPORAL_CLUSTER_CONTROL` (test:cluster) or by `npm run cluster` — or else start
 * one for this process's lifetime (stopped by `teardown`).
 */
import { startCluster } from './cluster.js';
import { runningCluster } from './cluster-control.js';
import type { ClusterInfo } from './cluster-control.js';

export interface AttachedCluster {
  address: string;
  webUi: string;
  /** Where it came from, for the console. */
  origin: 'TEMPORAL_CLUSTER_CONTROL' | 'npm run cluster' | 'started here';
  cliPath: string;
  /** Stops the cluster if this process started it; a no-op otherwise. */
  teardown(): Promise<void>;
}

export async function attachOrStartCluster(
  options: { port?: number; uiPort?: number | false } = {},
): Promise<AttachedCluster> {
  const control = process.env.TEMPORAL_CLUSTER_CONTROL;
  const noop = () => Promise.resolve();
  if (control) {
    const info = (await (await fetch(`${control}/info`)).json()) as ClusterInfo;
    return { ...info, webUi: info.webUi ?? '', origin: 'TEMPORAL_CLUSTER_CONTROL', teardown: noop };
  }
  const running = runningCluster();
  if (running) return { ...running, webUi: running.webUi ?? '', origin: 'npm run cluster', teardown: noop };
  console.log('No cluster running (npm run cluster): starting one for this run…');
  const cluster = await startCluster({ port: options.port, uiPort: options.uiPort });
  return {
    address: cluster.address,
    webUi: cluster.webUi ?? '',
    cliPath: cluster.bins.cli.path,
    origin: 'started here',
    teardown: () => cluster.teardown(),
  };
}
