/**
 * `npm run test:api-fuzz`: property-based run of the example API against its own OpenAPI document
 * with schemathesis (from PyPI). Starts a throw-away dev server (in memory), a worker serving every
 * example queue and the API on a free port, runs
 *
 *   schemathesis run http://127.0.0.1:<port>/openapi.json --checks all --exclude-checks unsupported_method
 *
 * and stops everything. Every check but the undeclared-method one: Fastify answers 404 (not 405)
 * for a method a path does not declare, which that check flags. Exits with schemathesis' code.
 *
 * schemathesis is found as `SCHEMATHESIS` (a path), else in the venv
 * `~/.cache/temporal-mediator/venv`, which is created (`pip install schemathesis`) when missing.
 * Extra arguments go to schemathesis (e.g. `-- --max-examples 20`). It runs in
 * `~/.cache/temporal-mediator`, where its `.schemathesis` database (for `st replay <id>`) stays.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startDevServer } from '../../scripts/dev-server.js';
import { buildApp } from '../../examples/api/app.js';
import { startExample } from '../../examples/start.js';
import type { Logger } from '../../src/index.js';

const noop = (): void => undefined;

/** The worker's log (handler failures the fuzzer provokes are expected) stays out of the report. */
const quiet: Logger = { debug: noop, info: noop, warn: noop, error: noop };
const cache = join(homedir(), '.cache', 'temporal-mediator');
const venv = join(cache, 'venv');

/** The schemathesis executable: `SCHEMATHESIS`, or the cache venv (installed on first use). */
function schemathesis(): string {
  if (process.env.SCHEMATHESIS) return process.env.SCHEMATHESIS;
  const bin = join(venv, 'bin', 'schemathesis');
  if (existsSync(bin)) return bin;
  console.log(`Installing schemathesis into ${venv}…`);
  const steps: [string, string[]][] = [
    ['python3', ['-m', 'venv', venv]],
    [join(venv, 'bin', 'pip'), ['install', '--quiet', 'schemathesis']],
  ];
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  }
  return bin;
}

async function main(): Promise<number> {
  const bin = schemathesis();
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  // The server's own log would bury schemathesis' report.
  const server = await startDevServer({ extraArgs: ['--log-level', 'never'] });
  try {
    // A worker serving every example queue, and the API with the stress test bounded so that
    // a few hundred generated calls stay a few thousand short jobs (each call still under 10 s).
    // `--checks all` limits every response to 10 s, and the endpoints that wait for jobs
    // (mixed-workload, stress-test with `wait`) share the queues with the reports the fuzzer starts
    // (up to 50 pages of 10 s each): with the example's 10 slots per queue, ten of those made the
    // mixed workload's 0.4 s report wait 17 s for a slot. Enough slots that no job ever waits for one.
    const example = await startExample({
      config: {
        role: 'worker',
        temporalAddress: server.address,
        workerName: 'fuzz',
        maxConcurrentJobs: 1000,
      },
      worker: { logger: quiet },
    });
    const app = await buildApp({ mediator: example.mediator, stressTest: { maxJobs: 10, maxWorkMs: 100 } });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const schema = `${url}/openapi.json`;
      const args = [
        'run',
        schema,
        '--checks',
        'all',
        '--exclude-checks',
        'unsupported_method',
        // A stress test with `wait` on a loaded machine (CI, shared runners) can take over 10 s.
        '--request-timeout',
        '30',
        ...process.argv.slice(2),
      ];
      console.log(`schemathesis ${args.join(' ')}`);
      // Its example database (`st replay <id>`) goes to the cache, not into the checkout.
      const child = spawn(bin, args, { stdio: 'inherit', cwd: cache });
      return await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
    } finally {
      await app.close();
      await example.close();
    }
  } finally {
    await server.teardown();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`test:api-fuzz: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
