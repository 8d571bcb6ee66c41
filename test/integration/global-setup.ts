import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../../scripts/dev-server.js';
import { bundleMediatorWorkflows } from '../../src/worker/create-worker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalCliPath: string;
    workflowBundlePath: string;
  }
}

/** One real dev server per test run, and the workflow code bundled once. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startDevServer();
  const bundle = await bundleMediatorWorkflows();
  const dir = mkdtempSync(join(tmpdir(), 'temporal-mediator-test-'));
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  project.provide('temporalAddress', server.address);
  project.provide('temporalCliPath', server.cli.path);
  project.provide('workflowBundlePath', bundlePath);
  return async () => {
    await server.teardown();
    rmSync(dir, { recursive: true, force: true });
  };
}
