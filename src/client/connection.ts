import { Client, Connection } from '@temporalio/client';
import { connectionError, toConnectArgs } from './connection-options.js';
import type { ConnectionOptions } from '../dispatch/options.js';

/** Opens a client connection, translating failures into a {@link ConnectionError} naming the address. */
export async function connectClient(
  options: ConnectionOptions,
  namespace: string,
  extra: Partial<ConstructorParameters<typeof Client>[0]> = {},
): Promise<Client> {
  const args = toConnectArgs(options);
  let connection: Connection;
  try {
    connection = await Connection.connect(args);
  } catch (err) {
    throw connectionError(options, err);
  }
  return new Client({ ...extra, connection, namespace });
}
