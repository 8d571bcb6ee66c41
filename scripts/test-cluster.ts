/**
 * `npm run test:cluster`: starts a throw-away cluster (scripts/cluster.ts: Temporal 1.32 on its own
 * PostgreSQL, 4 history shards, the Web UI; the first run builds the binaries), runs the integration
 * and contract suites against it and then the cluster-only tests (test/cluster), and stops it.
 *
 *   npm run test:cluster                                   # everything
 *   npm run test:cluster -- test/cluster/priority.test.ts  # arguments go to vitest
 *
 * Writes the vitest JSON report to test-results/vitest-cluster.json (CI folds it into its totals).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startCluster } from './cluster.js';
import { serveClusterControl } from './cluster-control.js';

/** The report file; `CLUSTER_REPORT_FILE` overrides it (CI's rerun of failed files writes its own). */
export const CLUSTER_REPORT = process.env.CLUSTER_REPORT_FILE ?? 'test-results/vitest-cluster.json';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const started = Date.now();
  const cluster = await startCluster();
  const clusterStartMs = Date.now() - started;
  const control = await serveClusterControl(cluster);
  let code = 1;
  try {
    const projects = args.some((a) => a.startsWith('--project'))
      ? []
      : ['--project', 'integration', '--project', 'contract', '--project', 'cluster'];
    const vitest = spawn(
      'npx',
      [
        'vitest',
        'run',
        ...projects,
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${CLUSTER_REPORT}`,
        ...args,
      ],
      {
        stdio: 'inherit',
        env: { ...process.env, TEMPORAL_TARGET: 'cluster', TEMPORAL_CLUSTER_CONTROL: control.url },
      },
    );
    const forward = (signal: NodeJS.Signals) => vitest.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    code = await new Promise<number>((resolve) => vitest.once('exit', (c) => resolve(c ?? 1)));
  } finally {
    await control.close();
    await cluster.teardown();
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  try {
    const r = JSON.parse(readFileSync(CLUSTER_REPORT, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
    };
    console.log(
      `test:cluster: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped ` +
        `in ${seconds}s (cluster up in ${Math.round(clusterStartMs / 1000)}s)`,
    );
  } catch {
    console.log(`test:cluster: no report (${CLUSTER_REPORT}); vitest exited ${code}`);
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`test:cluster: ${(err as Error).message}`);
    process.exit(1);
  },
);
