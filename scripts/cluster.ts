/**
 * The cluster mode: Temporal server 1.32 on PostgreSQL with 4 history shards and the Web UI, set up
 * by the same scripts as docker-compose.yml (see scripts/cluster-compose.ts). Used by
 * `npm run cluster` (scripts/cluster-cli.ts), `npm run test:cluster`, `npm run demo -- --cluster`
 * and `npm run bench -- --cluster`.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { MEDIATOR_REQUEST } from '../src/jobs/handle.js';
import { findPostgres, parsePostgresUrl, startOwnedPostgres } from './cluster-postgres.js';
import type { OwnedPostgres, PostgresTarget } from './cluster-postgres.js';
import { runComposeScript, serverEnv, uiEnv } from './cluster-compose.js';
import type { HostPorts } from './cluster-compose.js';
import { ensureClusterBinaries } from './provision-cluster.js';
import type { ClusterBinaries } from './provision-cluster.js';

export interface ClusterOptions {
  /** Frontend gRPC port. @default a free port */
  port?: number;
  /** Web UI port; `false` starts no UI. @default a free port */
  uiPort?: number | false;
  /** PostgreSQL data, logs. Kept when given; else a temporary directory removed on teardown. */
  dataDir?: string;
  /** Progress messages (setup script output included). @default console.error */
  log?: (message: string) => void;
}

export interface Cluster {
  /** `host:port` of the frontend. */
  address: string;
  namespace: string;
  /** Web UI URL, when started. */
  webUi: string | undefined;
  bins: ClusterBinaries;
  postgres: PostgresTarget & { owned: boolean; dataDir?: string };
  logs: { server: string; ui?: string; postgres?: string };
  /** SIGKILL the server process (no graceful shutdown). */
  killServer(): Promise<void>;
  /** Start the server again on the same database and ports; resolves once it serves the namespace. */
  startServer(): Promise<void>;
  /** Fast-shutdown and restart the owned PostgreSQL (throws for `TEMPORAL_POSTGRES_URL`). */
  restartPostgres(): Promise<void>;
  /** Stops everything this cluster started. */
  teardown(): Promise<void>;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * A free port below 32768: the server stores membership ports in a PostgreSQL `smallint`, so
 * ephemeral ports (32768+) make it exit at start-up.
 */
async function freeLowPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!taken.has(port) && (await portIsFree(port))) {
      taken.add(port);
      return port;
    }
  }
}

async function hostPorts(frontend?: number): Promise<HostPorts> {
  const taken = new Set<number>(frontend === undefined ? [] : [frontend]);
  const next = () => freeLowPort(taken);
  return {
    frontend: frontend ?? (await next()),
    frontendHttp: await next(),
    frontendMembership: await next(),
    internalFrontendHttp: await next(),
    history: await next(),
    historyMembership: await next(),
    matching: await next(),
    matchingMembership: await next(),
    worker: await next(),
    workerMembership: await next(),
  };
}

function spawnLogged(file: string, args: string[], env: NodeJS.ProcessEnv, log: string): ChildProcess {
  const out = openSync(log, 'a');
  return spawn(file, args, { env, stdio: ['ignore', out, out] });
}

async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Waits until the frontend answers and `namespace` accepts a workflow start carrying
 * `MediatorRequest` (history, matching, shards up, and the attribute usable). A new attribute is read
 * through the namespace registry, which refreshes every 10 s: a start right after setup can still get
 * "no mapping defined for search attribute MediatorRequest".
 */
async function waitServing(
  address: string,
  namespace: string,
  server: ChildProcess,
  log: string,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  let last: unknown;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`Temporal server exited (${server.exitCode}); see ${log}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        const client = new Client({ connection, namespace });
        const id = `cluster-ready-${Date.now()}`;
        const handle = await client.workflow.start('ClusterReadyProbe', {
          taskQueue: 'cluster-ready',
          workflowId: id,
          typedSearchAttributes: [{ key: MEDIATOR_REQUEST, value: 'ClusterReadyProbe' }],
        });
        await handle.terminate('readiness probe');
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      last = err;
      await sleep(500);
    }
  }
  throw new Error(
    `Temporal server at ${address} not serving namespace ${namespace} after 120s: ${String(last)}; see ${log}`,
  );
}

async function waitHttp(url: string, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`UI server exited (${child.exitCode}); see ${log}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(300);
  }
  throw new Error(`Web UI at ${url} did not answer within 60s; see ${log}`);
}

/** Provisions (first run: builds) and starts PostgreSQL, the schema, the server, the namespace and the UI. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const log = options.log ?? ((m: string) => console.error(m));
  const bins = await ensureClusterBinaries({ log });
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'temporal-cluster-'));
  mkdirSync(dataDir, { recursive: true });
  // PostgreSQL runs as the `postgres` user when we are root: it must be able to enter the directory.
  chmodSync(dataDir, 0o755);
  const children = new Set<ChildProcess>();
  let owned: OwnedPostgres | undefined;
  const onExit = () => {
    for (const c of children) c.kill('SIGKILL');
    if (owned?.pid) process.kill(owned.pid, 'SIGQUIT');
  };
  process.once('exit', onExit);

  const cleanup: (() => Promise<void>)[] = [];
  const teardown = async () => {
    for (const f of cleanup.splice(0).reverse())
      await f().catch((err: unknown) => log(`cluster: teardown: ${String(err)}`));
    process.removeListener('exit', onExit);
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    let db: PostgresTarget;
    if (process.env.TEMPORAL_POSTGRES_URL) {
      db = parsePostgresUrl(process.env.TEMPORAL_POSTGRES_URL);
      log(`cluster: using PostgreSQL at ${db.host}:${db.port} (TEMPORAL_POSTGRES_URL)`);
    } else {
      const binDir = findPostgres(log);
      const port = await freePort();
      log(`cluster: starting PostgreSQL (${binDir}) on 127.0.0.1:${port}, data in ${dataDir}/postgres`);
      owned = await startOwnedPostgres({ binDir, baseDir: join(dataDir, 'postgres'), port });
      cleanup.push(() => owned!.stop());
      db = owned;
    }
    // The scripts' own lines on the console; the tools' structured logs only in setup.log.
    const setupLog = openSync(join(dataDir, 'setup.log'), 'a');
    const onLine = (line: string) => {
      writeSync(setupLog, line + '\n');
      if (!/^\s*(\d{4}-\d\d-\d\dT|time=|\{)/.test(line)) log(`  ${line}`);
    };
    const path = [bins.binDir, dirname(bins.cli.path)];
    log('cluster: schema setup (docker/scripts/setup-postgres-schema.sh)');
    await runComposeScript({
      script: 'setup-postgres-schema.sh',
      service: 'temporal-schema-setup',
      overrides: {
        POSTGRES_SEEDS: db.host,
        DB_PORT: String(db.port),
        POSTGRES_USER: db.user,
        POSTGRES_PWD: db.password,
        TEMPORAL_SCHEMA_ROOT: bins.schemaRoot,
      },
      path: owned ? [...path, findPostgres(log)] : path,
      onLine,
    });

    const ports = await hostPorts(options.port);
    const address = `127.0.0.1:${ports.frontend}`;
    const env = { ...process.env, ...serverEnv(db, ports) };
    const serverLog = join(dataDir, 'server.log');
    let server: ChildProcess | undefined;
    const spawnServer = (): ChildProcess => {
      const child = spawnLogged(bins.server, ['start'], env, serverLog);
      children.add(child);
      child.once('exit', () => children.delete(child));
      return (server = child);
    };
    log(
      `cluster: starting Temporal server on ${address} (${env.NUM_HISTORY_SHARDS} history shards; log ${serverLog})`,
    );
    spawnServer();
    cleanup.push(() => stopChild(server));

    const namespace = 'default';
    log('cluster: namespace and search attribute (docker/scripts/setup-namespace.sh)');
    const serverDied = new Promise<never>((_, reject) =>
      server!.once('exit', (code) =>
        reject(new Error(`Temporal server exited (${code}) during setup; see ${serverLog}`)),
      ),
    );
    serverDied.catch(() => undefined);
    const namespaceSetup = runComposeScript({
      script: 'setup-namespace.sh',
      service: 'temporal-namespace-setup',
      overrides: {
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: namespace,
        SETUP_SLEEP_SECONDS: '1',
        SETUP_MAX_ATTEMPTS: '120',
      },
      path,
      onLine,
    });
    await Promise.race([namespaceSetup, serverDied]);
    await waitServing(address, namespace, server!, serverLog);

    let webUi: string | undefined;
    let uiLog: string | undefined;
    if (options.uiPort !== false) {
      const uiPort = options.uiPort ?? (await freePort());
      uiLog = join(dataDir, 'ui.log');
      const ui = spawnLogged(
        bins.ui,
        ['--root', bins.uiRoot, '--env', 'docker', 'start'],
        { ...process.env, ...uiEnv(address, uiPort) },
        uiLog,
      );
      children.add(ui);
      cleanup.push(() => stopChild(ui));
      webUi = `http://127.0.0.1:${uiPort}`;
      await waitHttp(webUi, ui, uiLog);
    }
    log(`cluster: ready — Temporal ${address}, Web UI ${webUi ?? '(not started)'}`);
    return {
      address,
      namespace,
      webUi,
      bins,
      postgres: { ...db, owned: owned !== undefined, dataDir: owned?.dataDir },
      logs: {
        server: serverLog,
        ui: uiLog,
        postgres: owned ? join(dataDir, 'postgres', 'postgres.log') : undefined,
      },
      killServer: () => stopChild(server, 'SIGKILL'),
      startServer: () => waitServing(address, namespace, spawnServer(), serverLog),
      restartPostgres: async () => {
        if (!owned) throw new Error('restartPostgres: PostgreSQL is external (TEMPORAL_POSTGRES_URL)');
        await owned.restart();
      },
      teardown,
    };
  } catch (err) {
    await teardown();
    throw err;
  }
}
