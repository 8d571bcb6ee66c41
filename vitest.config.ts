import { defineConfig } from 'vitest/config';

// TEMPORAL_TARGET=cluster (`npm run test:cluster`): the integration and contract suites run against
// Temporal 1.32 on PostgreSQL instead of the dev server, and the cluster-only tests run after them.
const onCluster = process.env.TEMPORAL_TARGET === 'cluster';
const serverSetup = onCluster ? 'test/cluster/global-setup.ts' : 'test/integration/global-setup.ts';
const clusterProjects = onCluster
  ? [
      {
        test: {
          // Cluster-only: priority and fairness, and reliability tests that restart the shared server
          // and PostgreSQL, so one file at a time and after every other project (groupOrder).
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          globalSetup: [serverSetup],
          setupFiles: ['test/integration/setup.ts'],
          pool: 'forks' as const,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 240_000,
          hookTimeout: 120_000,
        },
      },
    ]
  : [];

export default defineConfig({
  test: {
    // CI reads the JSON report for its closing `N passed, N failed` line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/types/**/*.test.ts'],
          typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: [serverSetup],
          setupFiles: ['test/integration/setup.ts'],
          // The Temporal worker is a native addon: run test files in child processes.
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // One behaviour suite, every backend: Temporal on the dev server and the in-memory mediator.
          name: 'contract',
          include: ['test/contract/**/*.test.ts'],
          globalSetup: [serverSetup],
          setupFiles: ['test/integration/setup.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // Consumer projects: `npm pack` of this checkout installed into fresh temporary projects.
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          globalSetup: ['test/package/global-setup.ts'],
          setupFiles: ['test/integration/setup.ts'],
          pool: 'forks',
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          // Headless Chromium against the Web UI of its own dev server (see test/browser/web-ui.test.ts).
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/browser/global-setup.ts'],
          setupFiles: ['test/integration/setup.ts'],
          pool: 'forks',
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      ...clusterProjects,
    ],
  },
});
