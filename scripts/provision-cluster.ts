/**
 * Provisions the production topology of `npm run cluster` and `npm run test:cluster`: the Temporal
 * server and `temporal-sql-tool` (built from `go.temporal.io/server` at one pinned version), the
 * Web UI server (built from `github.com/temporalio/ui-server/v2`), the schema files and the UI
 * config from those modules, the `temporal` CLI (scripts/provision-temporal.ts), and PostgreSQL
 * binaries. Everything is cached outside the repo, next to the CLI:
 *
 * ```
 * $TEMPORAL_MEDIATOR_CACHE (default ~/.cache/temporal-mediator)/cluster-v1.32.2/
 *   bin/server, bin/sql, bin/temporal-sql-tool -> sql   (go install; the name compose's scripts call)
 *   schema/postgresql/v12/…                              (from the server module)
 *   ui/server, ui/config/{base,docker}.yaml              (go install; the UI image's own config)
 * ```
 *
 * The first server build takes 10–15 minutes on 2 cores with a cold Go build cache; it says so and
 * prints progress every 30 s.
 * Run it directly (`npm run provision:cluster`) to build and print the paths.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultCacheDir, ensureTemporalCli } from './provision-temporal.js';
import type { ProvisionedCli } from './provision-temporal.js';
import {
  GO_PACKAGES,
  GO_TOOLCHAIN,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_UI_VERSION,
} from './cluster-versions.js';

export interface ClusterBinaries {
  /** Cache directory of this server version. */
  dir: string;
  /** `bin/`: `server`, `sql` and `temporal-sql-tool` (put on PATH for docker/scripts/*). */
  binDir: string;
  server: string;
  sqlTool: string;
  /** Directory holding `postgresql/v12/…` (compose: /etc/temporal/schema). */
  schemaRoot: string;
  /** UI server binary and its root (`config/docker.yaml` under it). */
  ui: string;
  uiRoot: string;
  cli: ProvisionedCli;
}

export interface ProvisionClusterOptions {
  /** Progress messages. @default console.error */
  log?: (message: string) => void;
  /** Cache directory. @default `$TEMPORAL_MEDIATOR_CACHE` or `~/.cache/temporal-mediator` */
  cacheDir?: string;
}

const isFile = (file: string) => existsSync(file);

/** The cache directory of the pinned server version. */
export function clusterCacheDir(cacheDir = defaultCacheDir()): string {
  return join(cacheDir, `cluster-v${TEMPORAL_SERVER_VERSION}`);
}

function goEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOTOOLCHAIN: process.env.GOTOOLCHAIN || `${GO_TOOLCHAIN}+auto`,
    GOFLAGS: process.env.GOFLAGS ?? '-mod=mod',
    ...extra,
  };
}

/** `go install` with a heartbeat: the server build is long and otherwise silent. */
async function goInstall(
  packages: string[],
  gobin: string,
  log: (m: string) => void,
  expected: string,
): Promise<void> {
  if (spawnSync('go', ['version']).status !== 0) {
    throw new Error(
      `Go is needed to build ${packages.join(', ')} (install Go >= 1.22; it fetches ${GO_TOOLCHAIN} itself), ` +
        `or put prebuilt binaries in ${gobin}.`,
    );
  }
  mkdirSync(gobin, { recursive: true });
  log(`cluster: go install ${packages.join(' ')} → ${gobin}`);
  log(`cluster: a first build takes ${expected}; later runs reuse the binaries.`);
  const started = Date.now();
  let downloads = 0;
  let tail = '';
  const child = spawn('go', ['install', ...packages], {
    env: goEnv({ GOBIN: gobin }),
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    downloads += (chunk.match(/go: downloading/g) ?? []).length;
    tail = (tail + chunk).slice(-4000);
  });
  const ticker = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000);
    log(`cluster: still building (${s}s, ${downloads} modules downloaded)…`);
  }, 30_000);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`go install failed (exit ${code}):\n${tail}`);
  } finally {
    clearInterval(ticker);
  }
  log(`cluster: built in ${Math.round((Date.now() - started) / 1000)}s`);
}

/** Where `go` keeps an extracted module; downloads it when missing (no build). */
function moduleDir(modulePath: string, version: string): string {
  const cache = spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8', env: goEnv({}) }).stdout.trim();
  const dir = join(cache, `${modulePath}@v${version}`);
  if (!existsSync(dir)) {
    const res = spawnSync('go', ['mod', 'download', `${modulePath}@v${version}`], {
      encoding: 'utf8',
      env: goEnv({}),
    });
    if (!existsSync(dir)) throw new Error(`could not download ${modulePath}@v${version}: ${res.stderr}`);
  }
  return dir;
}

function copyOnce(from: string, to: string): void {
  if (existsSync(to)) return;
  cpSync(from, to, { recursive: true });
  // Module cache files are read-only; the cache copy may be deleted by hand later.
  const chmodTree = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      chmodSync(full, entry.isDirectory() ? 0o755 : 0o644);
      if (entry.isDirectory()) chmodTree(full);
    }
  };
  if (statSync(to).isDirectory()) {
    chmodSync(to, 0o755);
    chmodTree(to);
  } else chmodSync(to, 0o644);
}

/** Builds (once) and returns the server, SQL tool, schema, UI server and CLI of the cluster mode. */
export async function ensureClusterBinaries(options: ProvisionClusterOptions = {}): Promise<ClusterBinaries> {
  const log = options.log ?? ((m: string) => console.error(m));
  const dir = clusterCacheDir(options.cacheDir);
  const binDir = join(dir, 'bin');
  const uiRoot = join(dir, 'ui');
  const server = join(binDir, 'server');
  const sqlTool = join(binDir, 'sql');
  const ui = join(uiRoot, 'server');

  if (!isFile(server) || !isFile(sqlTool)) {
    log(`cluster: Temporal server ${TEMPORAL_SERVER_VERSION} not cached yet`);
    await goInstall(
      [GO_PACKAGES.server, GO_PACKAGES.sql],
      binDir,
      log,
      '10–15 minutes on 2 cores with a cold Go build cache',
    );
  }
  const alias = join(binDir, 'temporal-sql-tool');
  if (!existsSync(alias)) symlinkSync('sql', alias);

  const schemaRoot = join(dir, 'schema');
  copyOnce(join(moduleDir('go.temporal.io/server', TEMPORAL_SERVER_VERSION), 'schema'), schemaRoot);

  if (!isFile(ui)) {
    log(`cluster: Web UI server ${TEMPORAL_UI_VERSION} not cached yet`);
    await goInstall([GO_PACKAGES.ui], uiRoot, log, 'a minute or two');
  }
  const uiModule = moduleDir('github.com/temporalio/ui-server/v2', TEMPORAL_UI_VERSION);
  mkdirSync(join(uiRoot, 'config'), { recursive: true });
  for (const file of ['base.yaml', 'docker.yaml']) {
    const target = join(uiRoot, 'config', file);
    if (!existsSync(target)) copyOnce(join(uiModule, 'config', file), target);
  }

  const cli = await ensureTemporalCli({ log, cacheDir: options.cacheDir });
  writeFileSync(
    join(dir, 'versions.json'),
    JSON.stringify({ server: TEMPORAL_SERVER_VERSION, ui: TEMPORAL_UI_VERSION }) + '\n',
  );
  return { dir, binDir, server, sqlTool, schemaRoot, ui, uiRoot, cli };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureClusterBinaries()
    .then(async (bins) => {
      const { findPostgres } = await import('./cluster-postgres.js');
      const pg = process.env.TEMPORAL_POSTGRES_URL ? 'TEMPORAL_POSTGRES_URL' : findPostgres(console.error);
      console.log(JSON.stringify({ ...bins, postgres: pg }, null, 2));
    })
    .catch((err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    });
}
