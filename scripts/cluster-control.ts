/**
 * A small HTTP control endpoint on 127.0.0.1 for the process that owns a cluster, so that test
 * processes can break it on purpose: `POST /server/kill`, `POST /server/start`,
 * `POST /postgres/restart`, `GET /info`. `npm run cluster` and `npm run test:cluster` serve it and
 * pass its URL in `TEMPORAL_CLUSTER_CONTROL`; test/cluster/control.ts is the client.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Cluster } from './cluster.js';
import { clusterCacheDir } from './provision-cluster.js';

/** What `GET /info` returns (and what the cluster global setup provides to tests). */
export interface ClusterInfo {
  address: string;
  namespace: string;
  webUi: string | undefined;
  cliPath: string;
  postgresOwned: boolean;
  serverLog: string;
}

export function clusterInfo(cluster: Cluster): ClusterInfo {
  return {
    address: cluster.address,
    namespace: cluster.namespace,
    webUi: cluster.webUi,
    cliPath: cluster.bins.cli.path,
    postgresOwned: cluster.postgres.owned,
    serverLog: cluster.logs.server,
  };
}

/** Serves the control endpoint; resolves with its URL and a close function. */
export async function serveClusterControl(
  cluster: Cluster,
): Promise<{ url: string; close(): Promise<void> }> {
  const actions: Record<string, () => Promise<unknown>> = {
    'GET /info': () => Promise.resolve(clusterInfo(cluster)),
    'POST /server/kill': () => cluster.killServer(),
    'POST /server/start': () => cluster.startServer(),
    'POST /postgres/restart': () => cluster.restartPostgres(),
  };
  const server = createServer((req, res) => {
    const action = actions[`${req.method ?? ''} ${req.url ?? ''}`];
    if (!action) {
      res.writeHead(404).end(`unknown action; known: ${Object.keys(actions).join(', ')}`);
      return;
    }
    const started = Date.now();
    action().then(
      (body) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body ?? { ok: true, ms: Date.now() - started }));
      },
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The file a running `npm run cluster` announces itself in. */
export const runningFile = () => join(clusterCacheDir(), 'running.json');

/** The cluster `npm run cluster` is serving right now, if any (its process is alive). */
export function runningCluster(): (ClusterInfo & { pid: number; control: string }) | undefined {
  if (!existsSync(runningFile())) return undefined;
  try {
    const info = JSON.parse(readFileSync(runningFile(), 'utf8')) as ClusterInfo & {
      pid: number;
      control: string;
    };
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined;
  }
}
