import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeService, dynamicConfigFile, serverEnv } from '../../scripts/cluster-compose.js';
import type { HostPorts } from '../../scripts/cluster-compose.js';
import {
  COMPOSE_IMAGES,
  GO_PACKAGES,
  HISTORY_SHARDS,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_UI_VERSION,
} from '../../scripts/cluster-versions.js';

/**
 * docker-compose.yml and the cluster mode (scripts/cluster*.ts) run the same releases with the same
 * settings: a version bump in one place without the other fails here.
 */
describe('cluster mode and docker-compose.yml stay in step', () => {
  it('pins the server, admin-tools and UI images to the releases the provisioning builds', () => {
    expect(composeService('temporal').image).toBe(COMPOSE_IMAGES.server);
    expect(composeService('temporal-schema-setup').image).toBe(COMPOSE_IMAGES.adminTools);
    expect(composeService('temporal-namespace-setup').image).toBe(COMPOSE_IMAGES.adminTools);
    expect(composeService('temporal-ui').image).toBe(COMPOSE_IMAGES.ui);
    expect(COMPOSE_IMAGES.server).toBe(`temporalio/server:${TEMPORAL_SERVER_VERSION}`);
    expect(COMPOSE_IMAGES.ui).toBe(`temporalio/ui:${TEMPORAL_UI_VERSION}`);
    expect(GO_PACKAGES.server).toBe(`go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`);
    expect(GO_PACKAGES.sql).toBe(`go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`);
    expect(GO_PACKAGES.ui).toBe(`github.com/temporalio/ui-server/v2/cmd/server@v${TEMPORAL_UI_VERSION}`);
  });

  it('names the same versions in the compose header comment', () => {
    const header = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
    expect(header).toMatch(
      new RegExp(`temporalio/server\\s+${TEMPORAL_SERVER_VERSION.replace(/\./g, '\\.')}\\b`),
    );
    expect(header).toMatch(new RegExp(`temporalio/ui\\s+${TEMPORAL_UI_VERSION.replace(/\./g, '\\.')}\\b`));
  });

  it('runs the native server with compose’s environment: same database, shards and dynamic config', () => {
    const ports = Object.fromEntries(
      [
        'frontend',
        'frontendHttp',
        'frontendMembership',
        'internalFrontendHttp',
        'history',
        'historyMembership',
        'matching',
        'matchingMembership',
        'worker',
        'workerMembership',
      ].map((k, i) => [k, 20_000 + i]),
    ) as unknown as HostPorts;
    const compose = composeService('temporal').env;
    const native = serverEnv({ host: '127.0.0.1', port: 5555, user: 'u', password: 'p' }, ports);
    expect(compose.NUM_HISTORY_SHARDS).toBe(String(HISTORY_SHARDS));
    for (const key of ['DB', 'DBNAME', 'VISIBILITY_DBNAME', 'NUM_HISTORY_SHARDS']) {
      expect(native[key], key).toBe(compose[key]);
    }
    expect(native).toMatchObject({ POSTGRES_SEEDS: '127.0.0.1', DB_PORT: '5555', BIND_ON_IP: '127.0.0.1' });
    expect(native.FRONTEND_GRPC_PORT).toBe('20000');
    // Same file compose mounts: /etc/temporal/config/dynamicconfig/<name> ← ./docker/dynamicconfig.
    expect(compose.DYNAMIC_CONFIG_FILE_PATH?.split('/').pop()).toBe(dynamicConfigFile.split('/').pop());
    expect(native.DYNAMIC_CONFIG_FILE_PATH).toBe(dynamicConfigFile);
  });

  it('enables what the cluster-only tests rely on in the shared dynamic config', () => {
    const config = parse(readFileSync(dynamicConfigFile, 'utf8')) as Record<string, { value: unknown }[]>;
    expect(config['matching.enableFairness']?.[0]?.value).toBe(true);
    // Off as in production: on, every start carrying MediatorRequest re-reads cluster metadata (BENCHMARKS.md).
    expect(config['system.forceSearchAttributesCacheRefreshOnRead']?.[0]?.value).toBe(false);
  });
});
