import type { Client, DataConverter, TLSConfig } from '@temporalio/client';
import type { EncryptionOptions } from '../security/codec.js';
import type { BackgroundOptions } from '../contracts/definitions.js';
import type { Duration } from '../core/durations.js';
import type { ValidateOptions } from '../contracts/execute.js';
import type { Logger } from '../core/logger.js';
import { consoleLogger } from '../core/logger.js';
import type { DispatchBehavior } from '../contracts/pipeline.js';
import type { Handlers } from '../contracts/registry.js';
import type { TelemetryOptions } from '../observability/telemetry.js';

/** Task queue used when neither the request nor the call names one. */
export const DEFAULT_QUEUE = 'default';

/** How to reach the Temporal server. */
export interface ConnectionOptions {
  /** `host:port` of the Temporal frontend. @default 'localhost:7233' */
  address?: string;
  /** `true` for TLS with system roots, or a TLS config (server root CA, mTLS client cert and key). @default false (true when `apiKey` is set) */
  tls?: TLSConfig | boolean;
  /** API key (Temporal Cloud), sent as a bearer token. @default none */
  apiKey?: string;
  /** Extra gRPC metadata on every call. @default {} */
  metadata?: Record<string, string>;
  /** How long to wait for the server when connecting. @default '10s' */
  connectTimeout?: Duration;
}

/** How `publish` runs a notification's handlers in process. */
export type PublishStrategy = 'sequential' | 'parallel';

/** Options of `createMediator`. */
export interface MediatorOptions {
  /** Connect to Temporal with these options. Omit both this and `client` for an in-process-only mediator. @default none */
  connection?: ConnectionOptions;
  /** Use an existing Temporal `Client` (its connection stays yours to close). @default none */
  client?: Client;
  /** Temporal namespace (ignored when `client` is given). @default 'default' */
  namespace?: string;
  /** Handlers for in-process `send`/`publish`. Without them the mediator is API-only. @default none */
  handlers?: Handlers;
  /** Dispatch behaviors, outermost first: run at the caller before anything is sent. @default [] */
  behaviors?: DispatchBehavior[];
  /** Defaults for background runs, under each request's own. @default { queue: 'default' } */
  defaults?: BackgroundOptions;
  /** Which schemas the caller checks. @default { input: true, output: true } */
  validate?: ValidateOptions;
  /** Logger for in-process handlers (`ctx.log`). @default consoleLogger() */
  logger?: Logger;
  /** How `publish` runs handlers in process: one after another, or all at once. Either way every handler runs. @default 'sequential' */
  publishStrategy?: PublishStrategy;
  /**
   * Set the `MediatorRequest` search attribute on jobs (it must be registered on the namespace), so the
   * Web UI and `temporal workflow list --query` can filter jobs by request. Indexing it is the one cost
   * the mediator adds to a start on the server: `false` trades the filter for the raw start rate (see
   * BENCHMARKS.md). Job ids still start with the request name either way.
   * @default true
   */
  searchAttributes?: boolean;
  /** Largest serialised envelope accepted at the caller, in bytes (Temporal refuses payloads over 2 MiB). @default 2097152 */
  maxPayloadBytes?: number;
  /** Data converter (e.g. a payload codec) when the mediator creates the client. @default Temporal's default */
  dataConverter?: DataConverter;
  /**
   * Encrypt payloads (AES-256-GCM, key id in the metadata) when the mediator creates the client:
   * appended to `dataConverter`'s codecs. Workers need the same keys. With your own `client`, build it
   * with `encryptionDataConverter(encryption)` instead. @default none (payloads in plain JSON)
   */
  encryption?: EncryptionOptions;
  /**
   * OpenTelemetry tracing when the mediator creates the client: `enqueue` (and the other job starts,
   * queries, cancels) open a span whose context travels with the job to the workflow and the handler.
   * With your own `client`, build it with `interceptors: await telemetryClientInterceptors(telemetry)`
   * instead. @default none (no tracing)
   */
  telemetry?: TelemetryOptions;
}

/** {@link MediatorOptions} with defaults applied. */
export interface ResolvedMediatorOptions {
  namespace: string;
  /** The server address, for error messages. */
  address: string;
  behaviors: DispatchBehavior[];
  defaults: BackgroundOptions & { queue: string };
  validateInput: boolean;
  validateOutput: boolean;
  logger: Logger;
  publishStrategy: PublishStrategy;
  searchAttributes: boolean;
  maxPayloadBytes: number;
}

/** The one place the mediator's defaults live. */
export function defaultMediatorOptions(options: MediatorOptions = {}): ResolvedMediatorOptions {
  return {
    namespace: options.client?.options.namespace ?? options.namespace ?? 'default',
    address: options.connection?.address ?? clientAddress(options.client) ?? 'localhost:7233',
    behaviors: [...(options.behaviors ?? [])],
    defaults: { ...options.defaults, queue: options.defaults?.queue ?? DEFAULT_QUEUE },
    validateInput: options.validate?.input ?? true,
    validateOutput: options.validate?.output ?? true,
    logger: options.logger ?? consoleLogger(),
    publishStrategy: options.publishStrategy ?? 'sequential',
    searchAttributes: options.searchAttributes ?? true,
    maxPayloadBytes: options.maxPayloadBytes ?? 2 * 1024 * 1024,
  };
}

function clientAddress(client: Client | undefined): string | undefined {
  const connection = client?.connection as { options?: { address?: string } } | undefined;
  return connection?.options?.address;
}
