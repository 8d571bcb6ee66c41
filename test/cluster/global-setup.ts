import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startCluster } from '../../scripts/cluster.js';
import { serveClusterControl } from '../../scripts/cluster-control.js';
import type { ClusterInfo } from '../../scripts/cluster-control.js';
import { bundleMediatorWorkflows } from '../../src/worker/create-worker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The cluster's control endpoint (scripts/cluster-control.ts); cluster target only. */
    clusterControl: string;
    clusterWebUi: string;
  }
}

/**
 * The cluster variant of test/integration/global-setup.ts (`TEMPORAL_TARGET=cluster`, see
 * vitest.config.ts): the same provided values, pointing at Temporal 1.32 on PostgreSQL. Uses the
 * cluster `npm run test:cluster` (scripts/test-cluster.ts) started and announced in
 * `TEMPORAL_CLUSTER_CONTROL`; without it, starts one of its own for this run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanup: (() => Promise<void>)[] = [];
  let control = process.env.TEMPORAL_CLUSTER_CONTROL;
  if (!control) {
    const cluster = await startCluster();
    const served = await serveClusterControl(cluster);
    cleanup.push(
      () => cluster.teardown(),
      () => served.close(),
    );
    control = served.url;
  }
  const response = await fetch(`${control}/info`);
  if (!response.ok)
    throw new Error(`cluster control ${control}: ${response.status} ${await response.text()}`);
  const info = (await response.json()) as ClusterInfo;

  const bundle = await bundleMediatorWorkflows();
  const dir = mkdtempSync(join(tmpdir(), 'temporal-mediator-test-'));
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  project.provide('temporalAddress', info.address);
  project.provide('temporalCliPath', info.cliPath);
  project.provide('workflowBundlePath', bundlePath);
  project.provide('clusterControl', control);
  project.provide('clusterWebUi', info.webUi ?? '');
  return async () => {
    for (const f of cleanup.reverse()) await f();
    rmSync(dir, { recursive: true, force: true });
  };
}
