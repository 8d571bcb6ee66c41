/**
 * `createMediator`: the Temporal mediator, or with `{ inMemory: true }` the in-memory one. The one
 * place that knows both backends.
 */
import { InvalidOptionError } from './core/errors.js';
import { connectClient } from './client/connection.js';
import { Mediator } from './client/mediator.js';
import type { MediatorOptions } from './dispatch/options.js';
import { defaultMediatorOptions } from './dispatch/options.js';
import type { InMemoryMediator } from './in-memory/mediator.js';
import { createInMemoryMediator } from './in-memory/mediator.js';
import type { InMemoryModeOptions } from './in-memory/options.js';
import { isInMemoryMode } from './in-memory/options.js';
import { telemetryClientInterceptors } from './observability/telemetry.js';
import { withEncryption } from './security/codec.js';

/**
 * Creates a mediator. With `connection` (or an existing `client`) it dispatches durable jobs on
 * Temporal; with `handlers` it runs `send`/`publish` in process. Without handlers it is API-only.
 * With `{ inMemory: true }` it returns an `InMemoryMediator` (same interface, this process only,
 * not durable; see `createInMemoryMediator`).
 *
 * @example
 * const mediator = await createMediator({ connection: { address: 'localhost:7233' }, handlers });
 * const { userId } = await mediator.enqueueAsync(CreateUser, { email: 'a@b.c', name: 'Ada' });
 */
export function createMediator(options: InMemoryModeOptions): Promise<InMemoryMediator>;
export function createMediator(options?: MediatorOptions): Promise<Mediator>;
export async function createMediator(
  options: MediatorOptions | InMemoryModeOptions = {},
): Promise<Mediator | InMemoryMediator> {
  // In-memory mode (not durable): the same interface, run in this process; see createInMemoryMediator.
  if (isInMemoryMode(options)) return createInMemoryMediator(options);
  const resolved = defaultMediatorOptions(options);
  let client = options.client;
  let ownsConnection = false;
  if (options.client && options.telemetry) {
    throw new InvalidOptionError(
      'telemetry',
      'an existing client keeps its own interceptors; create it with { interceptors: await telemetryClientInterceptors(telemetry) }',
    );
  }
  if (options.client && options.encryption) {
    throw new InvalidOptionError(
      'encryption',
      'an existing client keeps its own data converter; create it with { dataConverter: encryptionDataConverter(encryption) }',
    );
  }
  if (!client && options.connection) {
    const dataConverter = withEncryption(options.dataConverter, options.encryption);
    const interceptors = options.telemetry
      ? await telemetryClientInterceptors(options.telemetry, resolved.logger)
      : undefined;
    client = await connectClient(options.connection, resolved.namespace, {
      ...(dataConverter ? { dataConverter } : {}),
      ...(interceptors ? { interceptors } : {}),
    });
    ownsConnection = true;
  }
  return new Mediator({ client, ownsConnection, handlers: options.handlers, resolved });
}
