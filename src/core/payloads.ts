import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';

/**
 * Decodes a raw payload read from the server (history events, heartbeat details) with the client's
 * own data converter: its codecs (e.g. encryption) in reverse order, then its payload converter.
 */
export async function decodePayload<T>(client: Client, payload: unknown): Promise<T | undefined> {
  if (!payload) return undefined;
  const converter = client.options.loadedDataConverter;
  let decoded = [payload as Payload];
  for (const codec of [...converter.payloadCodecs].reverse()) decoded = await codec.decode(decoded);
  return converter.payloadConverter.fromPayload<T>(decoded[0] as Payload);
}
