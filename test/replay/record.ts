/**
 * Records the replay fixtures: runs every job shape the `executeRequest` workflow produces on a fresh
 * dev server and writes each history (the `temporal workflow show --output json` format, which the
 * Web UI downloads too) to `test/replay/<package version>/<shape>.json`.
 *
 *   npm run replay:record                                # records the shapes that have no file yet
 *   npm run replay:record -- --only=a,b --force          # re-records shapes a and b (uncommitted ones only)
 *
 * Fixtures of a released version are never rewritten: they are the histories of jobs that may still
 * be running, or whose console a user may still open, when the next version deploys.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startDevServer } from '../../scripts/dev-server.js';
import { createMediator } from '../../src/index.js';
import { createWorker } from '../../src/worker/create-worker.js';
import { consoleLogger } from '../../src/core/logger.js';
import { SHAPE_QUEUE, shapeHandlers, shapes } from './shapes.js';
import type { ShapeEnv } from './version-shapes.js';

const here = dirname(fileURLToPath(import.meta.url));
const version = (JSON.parse(readFileSync(join(here, '../../package.json'), 'utf8')) as { version: string })
  .version;
const force = process.argv.includes('--force');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
if (force && !only) {
  // Rewriting a whole set would replace the histories of the workflow as released with the current one.
  console.error('--force needs --only=<shape,...>: committed fixtures are never rewritten');
  process.exit(2);
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dir = join(here, version);
  mkdirSync(dir, { recursive: true });
  const todo = shapes.filter(
    (s) => (!only || only.split(',').includes(s.name)) && (force || !existsSync(join(dir, `${s.name}.json`))),
  );
  if (!todo.length) {
    console.log(`test/replay/${version}: every shape is recorded (use --force to rewrite)`);
    return;
  }
  const server = await startDevServer();
  const logger = consoleLogger('error');
  try {
    const worker = await createWorker({
      connection: { address: server.address },
      handlers: shapeHandlers,
      queues: [SHAPE_QUEUE],
      logger,
      shutdownGraceTime: '1s',
      console: { flushIntervalMs: 100 },
    });
    // Sharing the worker's connection lets fast-lane jobs start eagerly, as in production.
    const mediator = await createMediator({ client: new Client({ connection: worker.connection }), logger });
    const env: ShapeEnv = {
      worker: (handlers, queue, workflowBundle) =>
        createWorker({
          connection: { address: server.address },
          handlers,
          queues: [queue],
          logger,
          shutdownGraceTime: '1s',
          ...(workflowBundle ? { workflowBundle } : {}),
        }),
    };
    await worker.runUntil(async () => {
      for (const shape of todo) {
        const jobId = await shape.run(mediator, env);
        const { stdout } = await promisify(execFile)(
          server.cli.path,
          ['workflow', 'show', '--workflow-id', jobId, '--address', server.address, '--output', 'json'],
          { maxBuffer: 64 * 1024 * 1024 },
        );
        // Parse and re-indent: the file is reviewed in diffs when a shape is added.
        writeFileSync(join(dir, `${shape.name}.json`), `${JSON.stringify(JSON.parse(stdout), null, 2)}\n`);
        console.log(`recorded test/replay/${version}/${shape.name}.json (${jobId})`);
      }
    });
    await mediator.close();
  } finally {
    await server.teardown();
  }
}

await main();
