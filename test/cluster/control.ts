import { inject } from 'vitest';

/** Whether this run targets the cluster (`npm run test:cluster`) rather than the dev server. */
export const onCluster = process.env.TEMPORAL_TARGET === 'cluster';

/** Calls the cluster's control endpoint (scripts/cluster-control.ts); resolves when the action is done. */
async function act(path: string): Promise<void> {
  const response = await fetch(`${inject('clusterControl')}${path}`, { method: 'POST' });
  if (!response.ok) throw new Error(`cluster control ${path}: ${response.status} ${await response.text()}`);
}

/** Break the cluster on purpose, from a test process. */
export const clusterControl = {
  killServer: () => act('/server/kill'),
  startServer: () => act('/server/start'),
  restartPostgres: () => act('/postgres/restart'),
};
