/**
 * Finds (or installs) a Chromium for the Web UI browser test, the way `provision-temporal.ts` finds
 * the CLI. Routes, in order:
 * 1. `CHROMIUM_PATH`;
 * 2. a system Chromium on `PATH` (`chromium`, `chromium-browser`, `google-chrome`, …) or at `/usr/bin/chromium`;
 * 3. Playwright's browser cache (`PLAYWRIGHT_BROWSERS_PATH`, default `~/.cache/ms-playwright`);
 * 4. Playwright's own download (`playwright-core install chromium`; needs the internet);
 * 5. the system package manager, when running as root on Debian/Ubuntu (`apt-get install chromium`).
 * When none works it throws an error with the exact command that installs one.
 *
 * Run it directly (`npx tsx scripts/find-chromium.ts`) to print the path.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isExecutable } from './provision-temporal.js';

export type ChromiumRoute = 'env' | 'system' | 'playwright-cache' | 'playwright-download' | 'apt';

export interface FoundChromium {
  path: string;
  route: ChromiumRoute;
}

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const INSTALL_HINT =
  'install one with `sudo apt-get update && sudo apt-get install -y chromium` (Debian/Ubuntu), ' +
  'or `npx playwright-core install chromium` (needs the internet), or set CHROMIUM_PATH to a Chromium binary';

function runs(file: string): boolean {
  const res = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return res.status === 0;
}

function system(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of SYSTEM_NAMES) {
    for (const dir of [...dirs, '/usr/bin']) {
      const file = join(dir, name);
      if (isExecutable(file) && runs(file)) return file;
    }
  }
  return undefined;
}

/** Newest browser build in Playwright's cache (full Chromium or the headless shell). */
function playwrightCache(): string | undefined {
  const root = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  if (!existsSync(root)) return undefined;
  const builds = readdirSync(root)
    .filter((d) => /^chromium(_headless_shell)?-\d+$/.test(d))
    .sort((a, b) => Number(b.split('-').pop()) - Number(a.split('-').pop()));
  for (const build of builds) {
    for (const rel of [
      'chrome-linux/chrome',
      'chrome-linux64/chrome',
      'chrome-linux/headless_shell',
      'chrome-headless-shell-linux64/chrome-headless-shell',
    ]) {
      const file = join(root, build, rel);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}

function playwrightDownload(log: (m: string) => void): string | undefined {
  let cli: string;
  try {
    cli = join(dirname(createRequire(import.meta.url).resolve('playwright-core/package.json')), 'cli.js');
  } catch {
    return undefined;
  }
  log('chromium: trying Playwright download (npx playwright-core install chromium)…');
  const res = spawnSync(process.execPath, [cli, 'install', 'chromium'], {
    encoding: 'utf8',
    timeout: 180_000,
    env: { PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT: '15000', ...process.env },
  });
  if (res.status !== 0) {
    log(
      `chromium: Playwright download failed (${(res.stderr || res.stdout).trim().split('\n').pop() ?? ''})`,
    );
    return undefined;
  }
  return playwrightCache();
}

function apt(log: (m: string) => void): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get'))
    return undefined;
  log('chromium: installing Debian package chromium (apt-get update && apt-get install -y chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { encoding: 'utf8', env, timeout: 600_000 });
  const install =
    update.status === 0
      ? spawnSync('apt-get', ['install', '-y', 'chromium'], { encoding: 'utf8', env, timeout: 900_000 })
      : update;
  if (install.status !== 0) {
    log(`chromium: apt-get failed: ${(install.stderr || '').trim().split('\n').slice(-3).join(' ')}`);
    return undefined;
  }
  return system();
}

/** Finds a working Chromium, installing one where this machine allows; throws with the install command otherwise. */
export function findChromium(log: (m: string) => void = (m) => console.error(m)): FoundChromium {
  const env = process.env.CHROMIUM_PATH;
  if (env) {
    if (isExecutable(env)) return { path: env, route: 'env' };
    throw new Error(`CHROMIUM_PATH=${env} is not an executable file; ${INSTALL_HINT}`);
  }
  const found: [ChromiumRoute, () => string | undefined][] = [
    ['system', system],
    ['playwright-cache', playwrightCache],
    ['playwright-download', () => playwrightDownload(log)],
    ['apt', () => apt(log)],
  ];
  for (const [route, find] of found) {
    const path = find();
    if (path) return { path, route };
  }
  throw new Error(`No Chromium found for the Web UI browser test; ${INSTALL_HINT}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const found = findChromium();
  console.log(`${found.path} (${found.route})`);
}
