import { Client, Connection } from '@temporalio/client';
import { ConnectionError } from './errors.js';
import type { ConnectionOptions } from './options.js';
import { optionalMs } from './durations.js';

/** Opens a client connection, translating failures into a {@link ConnectionError} naming the address. */
export async function connectClient(
  options: ConnectionOptions,
  namespace: string,
  extra: Partial<ConstructorParameters<typeof Client>[0]> = {},
): Promise<Client> {
  const address = options.address ?? 'localhost:7233';
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address,
      tls: options.tls ?? (options.apiKey ? true : undefined),
      apiKey: options.apiKey,
      metadata: options.metadata,
      connectTimeout: optionalMs(options.connectTimeout, 'connection.connectTimeout') ?? 10_000,
    });
  } catch (err) {
    throw new ConnectionError(address, err);
  }
  return new Client({ ...extra, connection, namespace });
}
