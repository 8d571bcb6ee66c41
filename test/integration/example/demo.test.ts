import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { onCluster } from '../../cluster/control.js';

/**
 * Smoke tests of `npm run demo -- --once` and `npm run demo:distributed -- --once`, each in a
 * child process with its own dev server on free ports and a temporary database.
 */

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'temporal-mediator-demo-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Runs a command in its own process group, killed as a group if it outlives `timeoutMs`. */
function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, {
      cwd: repoRoot,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The demo's environment: free ports, a database file of its own, the CLI the global setup found. */
async function demoEnv(db: string) {
  const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    ...process.env,
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    PORT: String(apiPort),
    DEMO_DB: join(dir, db),
    TEMPORAL_CLI_PATH: inject('temporalCliPath'),
  };
  return { env, uiPort, apiPort };
}

// Dev server only: each demo starts a dev server of its own. On the cluster target,
// test/cluster/demo.test.ts runs `npm run demo -- --cluster --once` against the cluster.
describe.skipIf(onCluster)('demo scripts', () => {
  it('npm run demo -- --once: runs the guided tour against a fresh dev server and exits 0', async () => {
    const { env, uiPort, apiPort } = await demoEnv('demo.db');
    const { code, output } = await run(['run', 'demo', '--', '--once'], env, 100_000);
    expect(output).toMatch(/Tour finished: \d+ step\(s\) passed, 0 failed/);
    expect(output).not.toContain('✘');
    expect(code, output).toBe(0);

    const jobIds = [...output.matchAll(/jobId=(\S+)/g)].map((m) => m[1]!);
    const requests = new Set(jobIds.map((id) => id.split('-')[0]));
    for (const request of [
      'CreateUser',
      'UserCreated',
      'SendEmail',
      'GenerateReport',
      'SendReminder',
      'DailyCleanup',
      'CalculatePrimes',
      'StressJob',
    ]) {
      expect(requests, `a printed ${request} job id`).toContain(request);
    }
    expect(output).toContain(`API          http://127.0.0.1:${apiPort}`);
    expect(output).toContain(`Swagger UI   http://127.0.0.1:${apiPort}/docs`);
    expect(output).toContain(`Temporal UI  http://localhost:${uiPort}`);
  }, 120_000);

  it('npm run demo:distributed -- --once: the stress test runs on all three worker processes', async () => {
    const { env } = await demoEnv('distributed.db');
    const { code, output } = await run(['run', 'demo:distributed', '--', '--once'], env, 100_000);
    expect(output).toContain('✔ jobs ran on all three worker processes');
    expect(code, output).toBe(0);
    // The stats endpoint shows which worker process serves each queue.
    expect(output).toMatch(/^ {2}critical +worker-critical$/m);
    expect(output).toMatch(/^ {2}default +worker-critical, worker-emails$/m);
    expect(output).toMatch(/^ {2}cleanup +worker-reports$/m);
    const byWorker = JSON.parse(/by worker: (\{.*?\})/.exec(output)?.[1] ?? '{}') as Record<string, number>;
    expect(Object.keys(byWorker).sort()).toEqual(['worker-critical', 'worker-emails', 'worker-reports']);
    expect(Object.values(byWorker).reduce((a, b) => a + b, 0)).toBe(100);
  }, 120_000);
});
