/**
 * What `npm run demo` and `npm run demo:distributed` share: the embedded dev server on the
 * configured ports, and the wait for Ctrl-C.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { startDevServer } from '../scripts/dev-server.js';
import type { DevServer } from '../scripts/dev-server.js';
import { errorMessage } from '../src/core/errors.js';
import type { DemoConfig } from './config.js';

/** Fails early when a port is taken: the dev server would otherwise die while another one answers. */
async function ensureFree(port: number, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () =>
      reject(
        new Error(
          `port ${port} is in use (another Temporal server or demo?); set ${variable} to a free port`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/**
 * Provisions the Temporal CLI if needed (see scripts/provision-temporal.ts) and starts the dev
 * server with the Web UI, persisting to `demo.dbFile`.
 */
export async function startDemoServer(demo: DemoConfig): Promise<DevServer & { webUi: string }> {
  await ensureFree(demo.temporalPort, 'TEMPORAL_PORT');
  await ensureFree(demo.uiPort, 'TEMPORAL_UI_PORT');
  await ensureFree(demo.apiPort, 'PORT');
  mkdirSync(dirname(demo.dbFile), { recursive: true });
  console.log(`Starting the Temporal dev server (data in ${demo.dbFile})…`);
  const server = await startDevServer({
    port: demo.temporalPort,
    ui: true,
    uiPort: demo.uiPort,
    dbFilename: demo.dbFile,
  });
  const webUi = `http://localhost:${demo.uiPort}`;
  console.log(`Temporal at ${server.address}; Web UI ${webUi}`);
  return { ...server, webUi };
}

/** Resolves on Ctrl-C (SIGINT) or SIGTERM. */
export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** Exits with `main`'s code; an error prints its message only (no stack) and exits 1. */
export function exitWith(main: Promise<number>, what: string): void {
  main.then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`${what} failed: ${errorMessage(err)}`);
      process.exit(1);
    },
  );
}
