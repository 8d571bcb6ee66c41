/**
 * PostgreSQL for the cluster mode: an existing server from `TEMPORAL_POSTGRES_URL`, else a system
 * PostgreSQL started in a data directory of its own (initdb, its own port, bound to 127.0.0.1),
 * installed from the system packages when running as root on Debian. As root, PostgreSQL runs as
 * the `postgres` system user (it refuses to run as root).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where and how to reach PostgreSQL: what docker/scripts/setup-postgres-schema.sh and the server read. */
export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface OwnedPostgres extends PostgresTarget {
  dataDir: string;
  /** Fast shutdown (SIGINT), then start again on the same data and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  readonly pid: number | undefined;
}

/** `postgres://user:password@host:port/…` → target. */
export function parsePostgresUrl(url: string): PostgresTarget {
  const u = new URL(url);
  if (!/^postgres(ql)?:$/.test(u.protocol))
    throw new Error(`TEMPORAL_POSTGRES_URL: not a postgres:// URL: ${url}`);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password),
  };
}

function binDirWith(dir: string): boolean {
  return existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
}

function systemBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => binDirWith(join(root, v, 'bin')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

const isRoot = () => process.getuid?.() === 0;

/**
 * The directory with `initdb`, `postgres` and `pg_ctl`: `TEMPORAL_POSTGRES_BIN`, the newest
 * `/usr/lib/postgresql/<v>/bin`, or `initdb` on PATH; as root on Debian, `apt-get install postgresql`.
 */
export function findPostgres(log: (m: string) => void): string {
  const fromEnv = process.env.TEMPORAL_POSTGRES_BIN;
  if (fromEnv) {
    if (!binDirWith(fromEnv)) throw new Error(`TEMPORAL_POSTGRES_BIN=${fromEnv} has no initdb/postgres`);
    return fromEnv;
  }
  const found = systemBinDir();
  if (found) return found;
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (which) return which.replace(/\/initdb$/, '');
  if (isRoot() && existsSync('/etc/debian_version')) {
    log(
      'cluster: PostgreSQL not found; installing it from the Debian packages (apt-get install postgresql)…',
    );
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], {
      stdio: 'inherit',
      env,
    });
    const installed = systemBinDir();
    if (installed) return installed;
  }
  throw new Error(
    'PostgreSQL is needed for the cluster mode. Either set TEMPORAL_POSTGRES_URL=postgres://user:pwd@host:port ' +
      'to use an existing server, or install PostgreSQL >= 12 (Debian/Ubuntu: `apt-get install postgresql`, ' +
      'macOS: `brew install postgresql`) so that initdb is found (or set TEMPORAL_POSTGRES_BIN).',
  );
}

/** Runs as the `postgres` system user when we are root. */
function asOwner(): Pick<SpawnOptions, 'uid' | 'gid'> {
  if (!isRoot()) return {};
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  if (!Number.isInteger(uid) || uid <= 0) {
    throw new Error(
      'running as root: PostgreSQL needs a non-root `postgres` system user (adduser --system postgres)',
    );
  }
  return { uid, gid: id('-g') };
}

function run(file: string, args: string[], options: SpawnOptions): void {
  const res = spawnSync(file, args, { ...options, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${res.stderr || res.stdout}`);
}

async function waitReady(binDir: string, port: number, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  const isready = existsSync(join(binDir, 'pg_isready')) ? join(binDir, 'pg_isready') : 'pg_isready';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited (${child.exitCode}); see ${log}`);
    if (spawnSync(isready, ['-q', '-h', '127.0.0.1', '-p', String(port)]).status === 0) return;
    await sleep(200);
  }
  throw new Error(`PostgreSQL did not accept connections on port ${port} within 60s; see ${log}`);
}

/**
 * Starts a PostgreSQL of our own in `baseDir/data` (initdb on first use), user `temporal` /
 * password `temporal` (as in docker-compose.yml). The server is a child process: stopping this
 * process group stops it.
 */
export async function startOwnedPostgres(options: {
  binDir: string;
  baseDir: string;
  port: number;
}): Promise<OwnedPostgres> {
  const { binDir, baseDir, port } = options;
  const owner = asOwner();
  const dataDir = join(baseDir, 'data');
  const logFile = join(baseDir, 'postgres.log');
  mkdirSync(baseDir, { recursive: true });
  if (owner.uid !== undefined) chownSync(baseDir, owner.uid, owner.gid ?? owner.uid);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const pwfile = join(baseDir, 'pwfile');
    writeFileSync(pwfile, 'temporal\n', { mode: 0o600 });
    if (owner.uid !== undefined) chownSync(pwfile, owner.uid, owner.gid ?? owner.uid);
    run(
      join(binDir, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'temporal',
        `--pwfile=${pwfile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
      ],
      { ...owner, cwd: baseDir },
    );
  }
  let child: ChildProcess | undefined;
  const start = async () => {
    const args = ['-D', dataDir, '-p', String(port), '-k', baseDir, '-c', 'listen_addresses=127.0.0.1'];
    // Temporal's services each keep their own pools (persistence 20 + visibility 10 by default).
    args.push('-c', 'max_connections=300');
    const out = openSync(logFile, 'a');
    if (owner.uid !== undefined) chownSync(logFile, owner.uid, owner.gid ?? owner.uid);
    child = spawn(join(binDir, 'postgres'), args, { ...owner, cwd: baseDir, stdio: ['ignore', out, out] });
    await waitReady(binDir, port, child, logFile);
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGINT'); // fast shutdown: aborts sessions, checkpoints, exits
    const timer = setTimeout(() => c.kill('SIGQUIT'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    user: 'temporal',
    password: 'temporal',
    dataDir,
    get pid() {
      return child?.pid;
    },
    restart: async () => {
      await stop();
      await start();
    },
    stop,
  };
}
