import type { TLSConfig } from '@temporalio/client';
import { optionalMs } from '../core/durations.js';
import { ConnectionError, errorMessage } from '../core/errors.js';
import type { ConnectionOptions } from '../dispatch/options.js';

/** What both `Connection.connect` (client) and `NativeConnection.connect` (worker) receive. */
export interface ConnectArgs {
  address: string;
  tls: TLSConfig | boolean | undefined;
  apiKey: string | undefined;
  metadata: Record<string, string> | undefined;
  connectTimeout: number;
}

/**
 * Maps the mediator's {@link ConnectionOptions} to the SDK's connect options, the one place this is
 * done for clients and workers. An API key turns TLS on unless `tls` says otherwise.
 */
export function toConnectArgs(options: ConnectionOptions = {}): ConnectArgs {
  return {
    address: options.address ?? 'localhost:7233',
    tls: options.tls ?? (options.apiKey ? true : undefined),
    apiKey: options.apiKey,
    metadata: options.metadata,
    connectTimeout: optionalMs(options.connectTimeout, 'connection.connectTimeout') ?? 10_000,
  };
}

const SECRET_HEADER = /authorization|api[-_]?key|token|secret|password/i;

/** The secrets among the options, to be kept out of messages: API key, private key, auth headers. */
function secretsOf(options: ConnectionOptions): string[] {
  const secrets: string[] = [];
  if (options.apiKey) secrets.push(options.apiKey);
  const key = typeof options.tls === 'object' ? options.tls.clientCertPair?.key : undefined;
  if (key) secrets.push(Buffer.from(key).toString('utf8'));
  for (const [name, value] of Object.entries(options.metadata ?? {})) {
    if (SECRET_HEADER.test(name) && value) secrets.push(value);
  }
  return secrets.filter((s) => s.length >= 4);
}

/**
 * A {@link ConnectionError} naming the address, whose message and cause never carry the options'
 * secrets (the SDK's messages do not today; this keeps it so whatever they become).
 */
export function connectionError(options: ConnectionOptions, err: unknown): ConnectionError {
  const secrets = secretsOf(options);
  const address = options.address ?? 'localhost:7233';
  let message = errorMessage(err);
  if (!secrets.some((s) => message.includes(s))) return new ConnectionError(address, err);
  for (const s of secrets) message = message.split(s).join('[redacted]');
  return new ConnectionError(address, new Error(message));
}
