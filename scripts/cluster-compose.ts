/**
 * The cluster mode runs what docker-compose.yml runs, natively: the same setup scripts
 * (docker/scripts/*), the same server environment (read by the server's embedded config template,
 * exactly as in the `temporalio/server` image), the same dynamic config file and the same UI
 * environment. This module reads those settings from docker-compose.yml and swaps only what differs
 * on one host: addresses, ports and file paths.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository root (scripts/..). */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The dynamic config compose mounts into the server (`DYNAMIC_CONFIG_FILE_PATH`). */
export const dynamicConfigFile = join(repoRoot, 'docker', 'dynamicconfig', 'development-sql.yaml');

type Env = Record<string, string>;

/** `environment:` (map or `KEY=value` list) and `image:` of one compose service. */
export function composeService(name: string): { image: string; env: Env } {
  const doc = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services?: Record<string, { image?: string; environment?: Record<string, unknown> | string[] }>;
  };
  const svc = doc.services?.[name];
  if (!svc) throw new Error(`docker-compose.yml has no service ${name}`);
  const raw = svc.environment ?? {};
  const entries = Array.isArray(raw)
    ? raw.map((line) => {
        const eq = line.indexOf('=');
        return [line.slice(0, eq), line.slice(eq + 1)] as const;
      })
    : Object.entries(raw).map(([k, v]) => [k, String(v)] as const);
  return { image: svc.image ?? '', env: Object.fromEntries(entries) };
}

export interface HostPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  internalFrontendHttp: number;
}

/**
 * The server's environment: compose's `temporal` service, pointed at this host's PostgreSQL,
 * bound to 127.0.0.1 on the given ports, with the repository's dynamic config file.
 */
export function serverEnv(
  db: { host: string; port: number; user: string; password: string },
  ports: HostPorts,
): Env {
  const env = composeService('temporal').env;
  return {
    ...env,
    POSTGRES_SEEDS: db.host,
    DB_PORT: String(db.port),
    POSTGRES_USER: db.user,
    POSTGRES_PWD: db.password,
    BIND_ON_IP: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: dynamicConfigFile,
    FRONTEND_GRPC_PORT: String(ports.frontend),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    INTERNAL_FRONTEND_HTTP_PORT: String(ports.internalFrontendHttp),
    HISTORY_GRPC_PORT: String(ports.history),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matching),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.worker),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    LOG_LEVEL: process.env.TEMPORAL_CLUSTER_LOG_LEVEL ?? env.LOG_LEVEL ?? 'warn',
  };
}

/** The UI server's environment: compose's `temporal-ui` service, on this host. */
export function uiEnv(address: string, uiPort: number): Env {
  return {
    ...composeService('temporal-ui').env,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_UI_PORT: String(uiPort),
  };
}

/**
 * Runs one of compose's setup scripts (docker/scripts/<script>) with compose's environment for that
 * service plus `overrides`, the cluster binaries first on PATH. Resolves with its output; rejects
 * with it when the script fails.
 */
export function runComposeScript(options: {
  script: string;
  service: string;
  overrides: Env;
  path: string[];
  onLine?: (line: string) => void;
}): Promise<string> {
  const env = {
    ...process.env,
    ...composeService(options.service).env,
    ...options.overrides,
    PATH: [...options.path, process.env.PATH ?? ''].join(':'),
  };
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [join(repoRoot, 'docker', 'scripts', options.script)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      for (const line of text.split('\n')) if (line.trim()) options.onLine?.(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`docker/scripts/${options.script} failed (exit ${code}):\n${output}`)),
    );
  });
}
