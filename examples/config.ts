/**
 * The example's configuration: every environment variable the example reads is read here, and
 * only here (the docker-compose test checks the compose file against {@link ENV_VARS} and
 * {@link DISTRIBUTED_WORKERS}).
 */
import { z } from 'zod';

/** The task queues of the example, as in the .NET design. */
export const QUEUES = ['critical', 'emails', 'reports', 'cleanup', 'default'] as const;
export type QueueName = (typeof QUEUES)[number];

/** What a process runs: the HTTP API, a worker, or both (the default, for local development). */
export const ROLES = ['api', 'worker', 'both'] as const;
export type Role = (typeof ROLES)[number];

/** One specialised worker of the distributed deployment. */
export interface WorkerSpec {
  /** `WORKER_NAME`: the worker identity shown in the Web UI and the stats endpoint. */
  name: string;
  /** `WORKER_QUEUES`. */
  queues: readonly QueueName[];
  /** `MAX_CONCURRENT_JOBS`. */
  concurrency: number;
}

/**
 * The three workers of `npm run demo:distributed` and of docker-compose.yml: different queues and
 * concurrency (20 / 15 / 5, as in the .NET example). `default` is served by two of them, so its
 * jobs are shared between processes.
 */
export const DISTRIBUTED_WORKERS: readonly WorkerSpec[] = [
  { name: 'worker-critical', queues: ['critical', 'default'], concurrency: 20 },
  { name: 'worker-emails', queues: ['emails', 'default'], concurrency: 15 },
  { name: 'worker-reports', queues: ['reports', 'cleanup'], concurrency: 5 },
];

/** An environment variable the example reads. */
export interface EnvVar {
  /** Who reads it: the example process (by role) or only the demo scripts. */
  readBy: readonly (Role | 'demo')[];
  /** Default when unset. */
  default: string;
  description: string;
}

/** Every environment variable the example reads. */
export const ENV_VARS = {
  ROLE: { readBy: ['api', 'worker', 'both'], default: 'both', description: `One of ${ROLES.join(', ')}.` },
  TEMPORAL_ADDRESS: {
    readBy: ['api', 'worker', 'both'],
    default: 'localhost:7233',
    description: 'host:port of the Temporal frontend.',
  },
  TEMPORAL_NAMESPACE: {
    readBy: ['api', 'worker', 'both'],
    default: 'default',
    description: 'Temporal namespace.',
  },
  PORT: { readBy: ['api', 'both'], default: '3000', description: 'HTTP port of the API.' },
  HOST: { readBy: ['api', 'both'], default: '0.0.0.0', description: 'Interface the API listens on.' },
  WORKER_QUEUES: {
    readBy: ['worker', 'both'],
    default: QUEUES.join(','),
    description: `Comma-separated task queues this worker serves, among ${QUEUES.join(', ')}.`,
  },
  MAX_CONCURRENT_JOBS: {
    readBy: ['worker', 'both'],
    default: '10',
    description: 'Max concurrent handler runs per queue in this process.',
  },
  WORKER_NAME: {
    readBy: ['worker', 'both'],
    default: '<hostname>-<pid>',
    description: 'Worker identity shown in the Web UI and the stats endpoint.',
  },
  TEMPORAL_PORT: { readBy: ['demo'], default: '7233', description: 'gRPC port of the demo dev server.' },
  TEMPORAL_UI_PORT: { readBy: ['demo'], default: '8233', description: 'Web UI port of the demo dev server.' },
  DEMO_DB: {
    readBy: ['demo'],
    default: '.temporal/demo.db',
    description: 'SQLite file of the demo dev server.',
  },
} as const satisfies Record<string, EnvVar>;

export type EnvVarName = keyof typeof ENV_VARS;
type Env = Partial<Record<string, string | undefined>>;

const port = z.coerce.number().int().min(0).max(65_535);
const queueList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((q) => q.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(QUEUES)).min(1, 'name at least one queue'));

const exampleEnv = z.object({
  ROLE: z.enum(ROLES).default('both'),
  TEMPORAL_ADDRESS: z.string().min(1).default(ENV_VARS.TEMPORAL_ADDRESS.default),
  TEMPORAL_NAMESPACE: z.string().min(1).default(ENV_VARS.TEMPORAL_NAMESPACE.default),
  PORT: port.default(3000),
  HOST: z.string().min(1).default(ENV_VARS.HOST.default),
  WORKER_QUEUES: queueList.default([...QUEUES]),
  MAX_CONCURRENT_JOBS: z.coerce.number().int().min(1).default(10),
  WORKER_NAME: z.string().min(1).optional(),
});

const demoEnv = z.object({
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  PORT: port.default(3000),
  DEMO_DB: z.string().min(1).default(ENV_VARS.DEMO_DB.default),
});

/** The variables the parsers read, for the check that {@link ENV_VARS} documents each of them. */
export const PARSED_ENV_VARS: readonly string[] = [
  ...new Set([...Object.keys(exampleEnv.shape), ...Object.keys(demoEnv.shape)]),
];

/** The configuration of one example process. */
export interface ExampleConfig {
  role: Role;
  temporalAddress: string;
  namespace: string;
  /** API port (`0`: any free port). */
  port: number;
  host: string;
  /** Queues served when the role runs a worker. */
  workerQueues: QueueName[];
  /** Per queue, in this process. */
  maxConcurrentJobs: number;
  /** Worker identity; `undefined` lets Temporal use `pid@hostname`. */
  workerName: string | undefined;
}

/** Ports and database file of the demo's embedded dev server. */
export interface DemoConfig {
  temporalPort: number;
  uiPort: number;
  apiPort: number;
  dbFile: string;
}

function parseEnv<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const result = schema.safeParse(blankToUndefined(env));
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
  throw new Error(`Invalid environment for the example:\n${problems}`);
}

// An empty variable (`PORT=`) means "unset", as in most shells' `${PORT:-3000}`.
function blankToUndefined(env: Env): Env {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
}

/** Reads the example's configuration from the environment; fails listing every bad variable. */
export function readConfig(env: Env = process.env): ExampleConfig {
  const e = parseEnv(exampleEnv, env);
  return {
    role: e.ROLE,
    temporalAddress: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    port: e.PORT,
    host: e.HOST,
    workerQueues: e.WORKER_QUEUES,
    maxConcurrentJobs: e.MAX_CONCURRENT_JOBS,
    workerName: e.WORKER_NAME,
  };
}

/** Reads the demo scripts' ports and database file from the environment. */
export function readDemoConfig(env: Env = process.env): DemoConfig {
  const e = parseEnv(demoEnv, env);
  return { temporalPort: e.TEMPORAL_PORT, uiPort: e.TEMPORAL_UI_PORT, apiPort: e.PORT, dbFile: e.DEMO_DB };
}

/** The environment of one distributed worker process (used by `demo:distributed`; compose mirrors it). */
export function workerEnv(spec: WorkerSpec, temporalAddress: string): Partial<Record<EnvVarName, string>> {
  return {
    ROLE: 'worker',
    TEMPORAL_ADDRESS: temporalAddress,
    WORKER_QUEUES: spec.queues.join(','),
    MAX_CONCURRENT_JOBS: String(spec.concurrency),
    WORKER_NAME: spec.name,
  };
}
