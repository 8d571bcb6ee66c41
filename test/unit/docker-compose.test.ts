import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import {
  DISTRIBUTED_WORKERS,
  ENV_VARS,
  PARSED_ENV_VARS,
  QUEUES,
  ROLES,
  readConfig,
} from '../../examples/config.js';
import type { Role } from '../../examples/config.js';

/**
 * Static checks of docker-compose.yml (no Docker needed): services, pinned images, ports,
 * start order, the schema / namespace setup commands (including the helper scripts the
 * setup services mount from docker/), the database settings shared by postgres, the
 * schema setup and the server, and the example application's services against the
 * example's own configuration (examples/config.ts) and the Dockerfile.
 */

const repoRoot = new URL('../../', import.meta.url);
const composeText = readFileSync(new URL('docker-compose.yml', repoRoot), 'utf8');

type Env = Record<string, string>;
interface Service {
  readonly name: string;
  readonly image: string;
  readonly env: Env;
  readonly dependsOn: Record<string, string>;
  readonly ports: string[];
  readonly volumes: string[];
  readonly entrypoint: string[];
  readonly command: string[];
  readonly healthcheck: unknown;
  /** `build:` (services built from the repository: the example application). */
  readonly build: unknown;
  readonly networks: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  throw new Error(`expected a scalar, got ${JSON.stringify(value)}`);
}

function stringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.map(scalar);
  throw new Error(`expected a string or list, got ${JSON.stringify(value)}`);
}

/** `environment:` as a map or as a `KEY=value` list. */
function toEnv(value: unknown): Env {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((entry) => {
        const text = scalar(entry);
        const eq = text.indexOf('=');
        return eq === -1 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  }
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scalar(v)]));
  throw new Error(`unexpected environment: ${JSON.stringify(value)}`);
}

/** `depends_on:` as a list (implies service_started) or as a map with conditions. */
function toDependsOn(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [scalar(name), 'service_started']));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([name, spec]) => [
        name,
        isRecord(spec) && spec.condition !== undefined ? scalar(spec.condition) : 'service_started',
      ]),
    );
  }
  throw new Error(`unexpected depends_on: ${JSON.stringify(value)}`);
}

/** `ports:` short (`"7233:7233"`) or long (`{ published, target }`) syntax, as `published:target`. */
function toPorts(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`unexpected ports: ${JSON.stringify(value)}`);
  return value.map((port) => {
    if (isRecord(port)) return `${scalar(port.published)}:${scalar(port.target)}`;
    const parts = scalar(port).split('/')[0]!.split(':');
    return parts.slice(-2).join(':');
  });
}

function loadServices(): Map<string, Service> {
  // `merge`: the example services share settings through YAML merge keys (`<<: *example`).
  const doc: unknown = parse(composeText, { merge: true });
  if (!isRecord(doc) || !isRecord(doc.services)) throw new Error('docker-compose.yml has no services map');
  const services = new Map<string, Service>();
  for (const [name, raw] of Object.entries(doc.services)) {
    if (!isRecord(raw)) throw new Error(`service ${name} is not a map`);
    services.set(name, {
      name,
      image: scalar(raw.image),
      env: toEnv(raw.environment),
      dependsOn: toDependsOn(raw.depends_on),
      ports: toPorts(raw.ports),
      volumes: stringList(raw.volumes),
      entrypoint: stringList(raw.entrypoint),
      command: stringList(raw.command),
      healthcheck: raw.healthcheck,
      build: raw.build,
      networks: isRecord(raw.networks) ? Object.keys(raw.networks) : stringList(raw.networks),
    });
  }
  return services;
}

const services = loadServices();

function service(name: string): Service {
  const found = services.get(name);
  if (!found) throw new Error(`service ${name} is not defined in docker-compose.yml`);
  return found;
}

/** `repo[:tag]` split (a registry host with a port is not used here). */
function splitImage(image: string): { repo: string; tag: string | undefined } {
  const withoutDigest = image.split('@')[0]!;
  const colon = withoutDigest.lastIndexOf(':');
  if (colon === -1 || withoutDigest.indexOf('/', colon) !== -1)
    return { repo: withoutDigest, tag: undefined };
  return { repo: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
}

/**
 * The shell text a service runs: its entrypoint and command, plus the content of every
 * script they reference inside a bind mount of a repository directory (e.g.
 * `./docker/scripts:/scripts`). Throws if a referenced script is not on disk.
 */
function runText(svc: Service): string {
  const args = [...svc.entrypoint, ...svc.command];
  const parts = [args.join(' ')];
  const mounts = svc.volumes
    .map((volume) => volume.split(':'))
    .filter(
      (parts): parts is [string, string, ...string[]] => parts.length >= 2 && parts[0]!.startsWith('./'),
    )
    .map(([source, target]) => ({ source, target: target.replace(/\/$/, '') }));
  for (const arg of args) {
    for (const { source, target } of mounts) {
      if (arg.startsWith(`${target}/`)) {
        const hostPath = `${source.replace(/\/$/, '')}/${arg.slice(target.length + 1)}`;
        parts.push(readFileSync(new URL(hostPath, repoRoot), 'utf8'));
      }
    }
  }
  return parts.join('\n');
}

/** Non-comment lines that invoke `tool`. */
function invocations(text: string, tool: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => !line.startsWith('#') && !/^echo\b/.test(line) && line.includes(tool));
}

/** The healthcheck `test` of a service as one string; '' when missing or disabled. */
function healthcheckTest(name: string): string {
  const check = service(name).healthcheck;
  if (!isRecord(check) || check.disable === true) return '';
  const test = stringList(check.test).filter((part) => part !== 'NONE');
  return test.join(' ');
}

const dbFlag = (db: string): RegExp => new RegExp(`(--database|--db)\\s+"?${db}"?(\\s|$)`);

describe('docker-compose.yml', () => {
  it('defines the Temporal services', () => {
    expect([...services.keys()]).toEqual(
      expect.arrayContaining([
        'postgresql',
        'temporal-schema-setup',
        'temporal',
        'temporal-namespace-setup',
        'temporal-ui',
      ]),
    );
  });

  it('pins every image to an explicit, non-latest tag', () => {
    for (const svc of services.values()) {
      const { repo, tag } = splitImage(svc.image);
      expect(repo, `${svc.name} has no image`).not.toBe('');
      expect(tag, `${svc.name} image ${svc.image} has no tag`).toBeDefined();
      expect(tag, `${svc.name} image ${svc.image}`).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
      expect(tag, `${svc.name} image ${svc.image}`).not.toBe('latest');
      expect(tag, `${svc.name} image ${svc.image} must carry a version`).toMatch(/\d/);
    }
  });

  it('uses temporalio/server, the matching admin-tools release and never temporalio/auto-setup', () => {
    for (const svc of services.values()) expect(svc.image).not.toMatch(/temporalio\/auto-setup/);

    expect(splitImage(service('postgresql').image).repo).toBe('postgres');
    expect(splitImage(service('temporal-ui').image).repo).toBe('temporalio/ui');
    const server = splitImage(service('temporal').image);
    expect(server.repo).toBe('temporalio/server');
    expect(server.tag).toMatch(/^1\.\d+\.\d+$/);
    for (const name of ['temporal-schema-setup', 'temporal-namespace-setup']) {
      const tools = splitImage(service(name).image);
      expect(tools.repo, name).toBe('temporalio/admin-tools');
      // admin-tools tags are `<server version>` or `<server version>-tctl-…-cli-…`.
      expect(
        tools.tag === server.tag || tools.tag?.startsWith(`${server.tag}-`),
        `${name}: ${tools.tag}`,
      ).toBe(true);
    }
  });

  it('publishes the Temporal frontend on 7233 and the Web UI on 8080', () => {
    expect(service('temporal').ports).toContain('7233:7233');
    expect(service('temporal-ui').ports).toContain('8080:8080');
    expect(service('temporal-ui').env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(service('temporal-ui').env.TEMPORAL_CORS_ORIGINS).toMatch(/^https?:\/\//);
  });

  it('starts services in dependency order', () => {
    expect(service('temporal-schema-setup').dependsOn).toMatchObject({ postgresql: 'service_healthy' });
    expect(service('temporal').dependsOn).toMatchObject({
      'temporal-schema-setup': 'service_completed_successfully',
    });
    expect(service('temporal-namespace-setup').dependsOn).toMatchObject({ temporal: 'service_healthy' });
    expect(Object.keys(service('temporal-ui').dependsOn)).toContain('temporal');
  });

  it('gives every service waited on for health a healthcheck', () => {
    expect(healthcheckTest('postgresql')).toContain('pg_isready');
    expect(healthcheckTest('temporal')).toMatch(/7233|cluster health/);
    for (const svc of services.values()) {
      for (const [target, condition] of Object.entries(svc.dependsOn)) {
        if (condition === 'service_healthy') {
          expect(healthcheckTest(target), `${svc.name} waits for ${target} to be healthy`).not.toBe('');
        }
      }
    }
  });

  it('only depends on defined services, without cycles', () => {
    for (const svc of services.values()) {
      for (const [target, condition] of Object.entries(svc.dependsOn)) {
        expect(services.has(target), `${svc.name} depends on undefined service ${target}`).toBe(true);
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
      }
    }
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (name: string, path: string[]): void => {
      if (done.has(name)) return;
      if (visiting.has(name)) throw new Error(`depends_on cycle: ${[...path, name].join(' -> ')}`);
      visiting.add(name);
      for (const target of Object.keys(service(name).dependsOn)) visit(target, [...path, name]);
      visiting.delete(name);
      done.add(name);
    };
    for (const name of services.keys()) visit(name, []);
  });

  it('creates and migrates both Temporal databases with temporal-sql-tool', () => {
    const text = runText(service('temporal-schema-setup'));
    const calls = invocations(text, 'temporal-sql-tool');
    expect(calls.length).toBeGreaterThanOrEqual(6);
    for (const call of calls) expect(call, call).toMatch(/--plugin\s+"?postgres12"?(\s|$)/);

    const versionedDirs: Record<string, string> = {
      temporal: 'postgresql/v12/temporal/versioned',
      temporal_visibility: 'postgresql/v12/visibility/versioned',
    };
    for (const [db, dir] of Object.entries(versionedDirs)) {
      const forDb = calls.filter((call) => dbFlag(db).test(call));
      expect(
        forDb.some((call) => /\s(create|create-database)(\s|$)/.test(call)),
        `${db}: create`,
      ).toBe(true);
      expect(
        forDb.some((call) => /\s(setup-schema|setup)\s/.test(call)),
        `${db}: setup-schema`,
      ).toBe(true);
      const update = forDb.find((call) => /\s(update-schema|update)\s/.test(call));
      expect(update, `${db}: update-schema`).toBeDefined();
      // The versioned dir may be spelled out or built from a variable ending in `/etc/temporal/schema/postgresql/v12`.
      const resolved = (update ?? '').replace(/"?\$\{?SCHEMA_DIR\}?/, '/etc/temporal/schema/postgresql/v12');
      expect(resolved, `${db}: update-schema dir`).toContain(`/etc/temporal/schema/${dir}`);
    }
    // In the image the schema lives under /etc/temporal/schema; `npm run cluster` points TEMPORAL_SCHEMA_ROOT elsewhere.
    if (text.includes('SCHEMA_DIR'))
      expect(text).toMatch(
        /SCHEMA_DIR="?(\/etc\/temporal\/schema|\$\{TEMPORAL_SCHEMA_ROOT:-\/etc\/temporal\/schema\})\/postgresql\/v12"?/,
      );
  });

  it('creates the default namespace and registers the MediatorRequest Keyword search attribute', () => {
    const setup = service('temporal-namespace-setup');
    const text = runText(setup);
    const namespace = setup.env.TEMPORAL_NAMESPACE ?? 'default';
    const address = setup.env.TEMPORAL_ADDRESS ?? '';
    expect(namespace).toBe('default');
    expect(address).toBe('temporal:7233');

    expect(invocations(text, 'temporal operator namespace create').length).toBeGreaterThan(0);
    const create = invocations(text, 'temporal operator search-attribute create');
    expect(create.length).toBeGreaterThan(0);
    for (const call of create) {
      expect(call).toMatch(/--name\s+"?MediatorRequest"?(\s|$)/);
      expect(call).toMatch(/--type\s+"?Keyword"?(\s|$)/);
      expect(call).toMatch(/(--namespace|-n)\s+\S+/);
      expect(call).toMatch(/--address\s+\S+/);
    }
  });

  it('agrees on the database host, port, user and password across postgres, schema setup and server', () => {
    const postgres = service('postgresql').env;
    const schema = service('temporal-schema-setup').env;
    const server = service('temporal').env;

    expect(server.DB).toBe('postgres12');
    expect(server.BIND_ON_IP).toBe('0.0.0.0');

    expect(postgres.POSTGRES_USER).toBeTruthy();
    expect(schema.POSTGRES_USER).toBe(postgres.POSTGRES_USER);
    expect(server.POSTGRES_USER).toBe(postgres.POSTGRES_USER);

    expect(postgres.POSTGRES_PASSWORD).toBeTruthy();
    expect(schema.POSTGRES_PWD).toBe(postgres.POSTGRES_PASSWORD);
    expect(server.POSTGRES_PWD).toBe(postgres.POSTGRES_PASSWORD);

    expect(schema.POSTGRES_SEEDS).toBe('postgresql');
    expect(server.POSTGRES_SEEDS).toBe(schema.POSTGRES_SEEDS);

    // The postgres image listens on 5432 unless PGPORT is overridden.
    expect(postgres.PGPORT ?? '5432').toBe('5432');
    expect(schema.DB_PORT ?? '5432').toBe('5432');
    expect(server.DB_PORT ?? '5432').toBe('5432');

    // The server reads the databases the schema setup creates.
    expect(server.DBNAME ?? 'temporal').toBe('temporal');
    expect(server.VISIBILITY_DBNAME ?? 'temporal_visibility').toBe('temporal_visibility');

    // The schema script takes its connection settings from these variables.
    const script = runText(service('temporal-schema-setup'));
    for (const name of ['POSTGRES_SEEDS', 'POSTGRES_USER', 'POSTGRES_PWD']) {
      expect(script, `schema setup uses ${name}`).toMatch(new RegExp(`\\$\\{?${name}\\b`));
    }
  });
});

/** The example application: the services built from the repository, by role. */
function exampleServices(): { svc: Service; role: Role }[] {
  return [...services.values()]
    .filter((svc) => svc.build !== undefined)
    .map((svc) => ({ svc, role: readConfig(svc.env).role }));
}

/** The variables the Dockerfile's `ENV` instruction sets (`KEY=value` form, `\` continuations). */
function dockerfileEnv(text: string): Env {
  const instruction = text.replace(/\\\n\s*/g, ' ').match(/^ENV\s+(.*)$/m)?.[1] ?? '';
  return Object.fromEntries(
    [...instruction.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)].map((m) => [m[1]!, m[2]!]),
  );
}

describe('docker-compose.yml: the example application', () => {
  const examples = exampleServices();
  const byRole = (role: Role) => examples.filter((e) => e.role === role).map((e) => e.svc);

  it('runs one API-only service and the three workers, built from the repository Dockerfile', () => {
    expect(byRole('api').map((s) => s.name)).toEqual(['api']);
    expect(
      byRole('worker')
        .map((s) => s.name)
        .sort(),
    ).toEqual(DISTRIBUTED_WORKERS.map((w) => w.name).sort());
    expect(byRole('both')).toEqual([]);
    for (const { svc } of examples) {
      expect(svc.build, svc.name).toMatchObject({ context: '.' });
      const dockerfile =
        isRecord(svc.build) && typeof svc.build.dockerfile === 'string' ? svc.build.dockerfile : 'Dockerfile';
      expect(existsSync(new URL(dockerfile, repoRoot)), `${svc.name}: ${dockerfile}`).toBe(true);
      expect(svc.image, svc.name).toBe(examples[0]!.svc.image);
    }
  });

  it('sets only variables the example reads for that role, and every one it needs', () => {
    const known = Object.keys(ENV_VARS) as (keyof typeof ENV_VARS)[];
    for (const { svc, role } of examples) {
      for (const name of Object.keys(svc.env)) {
        expect(known, `${svc.name} sets ${name}, which the example never reads`).toContain(name);
        const readBy: readonly string[] = ENV_VARS[name as keyof typeof ENV_VARS].readBy;
        expect(
          readBy,
          `${svc.name} (role ${role}) sets ${name}, read only by ${readBy.join(', ')}`,
        ).toContain(role);
      }
      const required =
        role === 'api'
          ? ['ROLE', 'TEMPORAL_ADDRESS', 'PORT']
          : ['ROLE', 'TEMPORAL_ADDRESS', 'WORKER_QUEUES', 'MAX_CONCURRENT_JOBS', 'WORKER_NAME'];
      for (const name of required) expect(Object.keys(svc.env), `${svc.name} sets ${name}`).toContain(name);
      expect(ROLES).toContain(svc.env.ROLE);
      // The example's own parser accepts the service's environment.
      expect(() => readConfig(svc.env), svc.name).not.toThrow();
    }
  });

  it('documents in ENV_VARS exactly the variables examples/config.ts parses, and reads the environment nowhere else', () => {
    expect([...PARSED_ENV_VARS].sort()).toEqual(Object.keys(ENV_VARS).sort());
    const files = readdirSync(new URL('examples/', repoRoot), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts'),
    );
    const readers = files.filter((f) =>
      readFileSync(new URL(`examples/${f}`, repoRoot), 'utf8').includes('process.env'),
    );
    // distributed.ts passes the environment on to its worker processes.
    expect(readers.sort()).toEqual(['config.ts', 'distributed.ts']);
  });

  it('points every example service at the Temporal frontend, in the default namespace, on its network', () => {
    const frontendPort = service('temporal').ports.map((p) => p.split(':')[1]);
    for (const { svc } of examples) {
      const config = readConfig(svc.env);
      const [host, port] = config.temporalAddress.split(':');
      expect(host, svc.name).toBe('temporal');
      expect(frontendPort, svc.name).toContain(port);
      expect(config.namespace, svc.name).toBe(service('temporal-namespace-setup').env.TEMPORAL_NAMESPACE);
      for (const network of service('temporal').networks) expect(svc.networks, svc.name).toContain(network);
    }
  });

  it('starts the example services once the namespace and search attribute exist', () => {
    for (const { svc } of examples) {
      expect(svc.dependsOn, svc.name).toMatchObject({
        'temporal-namespace-setup': 'service_completed_successfully',
      });
    }
  });

  it('gives each worker the queues and concurrency of DISTRIBUTED_WORKERS, covering every queue', () => {
    const served = new Set<string>();
    for (const svc of byRole('worker')) {
      const config = readConfig(svc.env);
      const spec = DISTRIBUTED_WORKERS.find((w) => w.name === config.workerName);
      expect(spec, `${svc.name}: WORKER_NAME ${config.workerName}`).toBeDefined();
      expect(svc.name).toBe(config.workerName);
      expect(config.workerQueues, svc.name).toEqual(spec?.queues);
      expect(config.maxConcurrentJobs, svc.name).toBe(spec?.concurrency);
      for (const q of config.workerQueues) served.add(q);
      expect(svc.ports, `${svc.name} publishes no port`).toEqual([]);
    }
    expect([...served].sort()).toEqual([...QUEUES].sort());
    expect(DISTRIBUTED_WORKERS.map((w) => w.concurrency)).toEqual([20, 15, 5]);
  });

  it('publishes the API on the port it listens on, with a health check of that port', () => {
    const api = service('api');
    const config = readConfig(api.env);
    expect(api.ports).toContain(`${config.port}:${config.port}`);
    expect(config.host).toBe('0.0.0.0');
    expect(healthcheckTest('api')).toContain(`:${config.port}/health`);
    // The Web UI and the API must not compete for a host port.
    const published = [...services.values()].flatMap((s) => s.ports.map((p) => p.split(':')[0]));
    expect(new Set(published).size).toBe(published.length);
  });

  it('builds an image that runs the example by role (Dockerfile)', () => {
    const dockerfile = readFileSync(new URL('Dockerfile', repoRoot), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20[\w.-]*slim/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^CMD \[.*"examples\/main\.ts"\]/m);
    for (const dir of ['src', 'workflows', 'activities', 'examples']) {
      expect(dockerfile, `copies ${dir}`).toMatch(new RegExp(`^COPY ${dir} \\./${dir}$`, 'm'));
    }
    const env = dockerfileEnv(dockerfile);
    expect(Object.keys(env)).toContain('ROLE');
    for (const name of Object.keys(env)) {
      if (name !== 'NODE_ENV') expect(Object.keys(ENV_VARS), `Dockerfile sets ${name}`).toContain(name);
    }
    expect(readConfig(env)).toMatchObject({
      role: 'both',
      host: '0.0.0.0',
      temporalAddress: 'temporal:7233',
    });
    const ignore = readFileSync(new URL('.dockerignore', repoRoot), 'utf8').split('\n');
    expect(ignore).toContain('node_modules');
  });
});
