/**
 * Starts the Temporal dev server (the `temporal` CLI's `server start-dev`, SQLite, Web UI built in)
 * with the `MediatorRequest` search attribute registered. Shared by tests, the demo and benchmarks.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { ensureTemporalCli } from './provision-temporal.js';
import type { ProvisionedCli } from './provision-temporal.js';

export interface DevServerOptions {
  /** Path of the `temporal` binary. @default found or installed by `ensureTemporalCli()` */
  cliPath?: string;
  /** Persist to this SQLite file. @default in memory */
  dbFilename?: string;
  /** gRPC port. @default a free port */
  port?: number;
  /** Start the Web UI. @default false */
  ui?: boolean;
  /** Web UI port. @default gRPC port + 1000 */
  uiPort?: number;
  /** Extra `temporal server start-dev` arguments. @default [] */
  extraArgs?: string[];
  /**
   * Re-read the search attributes from the database on every read, as the CLI does by default
   * (`system.forceSearchAttributesCacheRefreshOnRead`); production servers cache them.
   * @default false
   */
  searchAttributesCacheRefreshOnRead?: boolean;
}

export interface DevServer {
  env: TestWorkflowEnvironment;
  /** `host:port` of the frontend. */
  address: string;
  cli: ProvisionedCli;
  teardown(): Promise<void>;
}

const MEDIATOR_REQUEST = defineSearchAttributeKey('MediatorRequest', SearchAttributeType.KEYWORD);

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli: ProvisionedCli = options.cliPath
    ? { path: options.cliPath, route: 'env' }
    : await ensureTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli.path },
      ip: '127.0.0.1',
      port: options.port,
      ui: options.ui ?? false,
      uiPort: options.uiPort,
      dbFilename: options.dbFilename,
      searchAttributes: [MEDIATOR_REQUEST],
      extraArgs: [
        // Eager workflow start, for the fast lane.
        '--dynamic-config-value',
        'system.enableEagerWorkflowStart=true',
        // The CLI forces a search-attribute cache refresh on every read unless told otherwise: each
        // start carrying MediatorRequest would read cluster metadata from SQLite, which no production
        // server does. The attribute is registered before the server serves (--search-attribute),
        // and with SQL visibility a later one lives in the namespace's aliases, not in this cache.
        '--dynamic-config-value',
        `system.forceSearchAttributesCacheRefreshOnRead=${options.searchAttributesCacheRefreshOnRead ?? false}`,
        ...(options.extraArgs ?? []),
      ],
    },
  });
  return { env, address: env.address, cli, teardown: () => env.teardown() };
}
