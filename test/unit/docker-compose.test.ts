import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';

/**
 * Static checks of docker-compose.yml (no Docker needed): services, pinned images, ports,
 * start order, the schema / namespace setup commands (including the helper scripts the
 * setup services mount from docker/) and the database settings shared by postgres, the
 * schema setup and the server.
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
  const doc: unknown = parse(composeText);
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
    if (text.includes('SCHEMA_DIR'))
      expect(text).toMatch(/SCHEMA_DIR="?\/etc\/temporal\/schema\/postgresql\/v12"?/);
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
