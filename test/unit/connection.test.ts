import { inspect } from 'node:util';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectionError, toConnectArgs } from '../../src/client/connection-options.js';
import { ConnectionError, createHandlers, createMediator } from '../../src/index.js';
import { createWorker } from '../../src/worker/create-worker.js';

const API_KEY = 'tmprl-api-key-9f8e7d6c5b4a';
const PRIVATE_KEY =
  '-----BEGIN PRIVATE KEY-----\nTOPSECRETKEYMATERIAL0123456789\n-----END PRIVATE KEY-----\n';
const mtls = {
  serverNameOverride: 'temporal.internal',
  serverRootCACertificate: Buffer.from('-----BEGIN CERTIFICATE-----\nROOT\n-----END CERTIFICATE-----\n'),
  clientCertPair: {
    crt: Buffer.from('-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n'),
    key: Buffer.from(PRIVATE_KEY),
  },
};

/** Everything an error shows: message, cause chain, fields. */
const everything = (err: unknown) => inspect(err, { depth: 8 });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('connection options', () => {
  it('maps TLS, mTLS, API key, metadata and timeout', () => {
    expect(toConnectArgs()).toEqual({
      address: 'localhost:7233',
      tls: undefined,
      apiKey: undefined,
      metadata: undefined,
      connectTimeout: 10_000,
    });
    // An API key turns TLS on (Temporal Cloud), unless tls says otherwise.
    expect(toConnectArgs({ address: 'ns.tmprl.cloud:7233', apiKey: API_KEY })).toMatchObject({
      tls: true,
      apiKey: API_KEY,
    });
    expect(toConnectArgs({ apiKey: API_KEY, tls: false }).tls).toBe(false);
    expect(toConnectArgs({ tls: mtls, metadata: { 'x-tenant': 'a' }, connectTimeout: '3s' })).toMatchObject({
      tls: mtls,
      metadata: { 'x-tenant': 'a' },
      connectTimeout: 3000,
    });
  });

  it('createMediator passes TLS, mTLS and the API key to Connection.connect', async () => {
    const spy = vi.spyOn(Connection, 'connect').mockRejectedValue(new Error('no server here'));
    const err = await createMediator({
      connection: { address: 'temporal.internal:7233', tls: mtls, apiKey: API_KEY, metadata: { 'x-a': 'b' } },
    }).catch((e: unknown) => e);
    expect(spy).toHaveBeenCalledWith(
      expect.objectContaining({
        address: 'temporal.internal:7233',
        tls: mtls,
        apiKey: API_KEY,
        metadata: { 'x-a': 'b' },
      }),
    );
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).toMatchObject({ address: 'temporal.internal:7233', code: 'CONNECTION' });
  });

  it('createWorker passes TLS, mTLS and the API key to NativeConnection.connect', async () => {
    const spy = vi.spyOn(NativeConnection, 'connect').mockRejectedValue(new Error('no server here'));
    const err = await createWorker({
      handlers: createHandlers(),
      connection: { address: 'temporal.internal:7233', tls: mtls, apiKey: API_KEY },
    }).catch((e: unknown) => e);
    expect(spy).toHaveBeenCalledWith(
      expect.objectContaining({ address: 'temporal.internal:7233', tls: mtls, apiKey: API_KEY }),
    );
    expect(err).toBeInstanceOf(ConnectionError);
  });

  it('redacts secrets should a connection error ever quote them', () => {
    const options = { apiKey: API_KEY, tls: mtls, metadata: { authorization: 'Bearer sekrit-token' } };
    const err = connectionError(
      options,
      new Error(`rejected key ${API_KEY} with ${PRIVATE_KEY} and Bearer sekrit-token`),
    );
    for (const secret of [API_KEY, 'TOPSECRETKEYMATERIAL', 'sekrit-token']) {
      expect(everything(err)).not.toContain(secret);
    }
    expect(err.message).toContain('[redacted]');
  });
});

describe('secrets stay out of errors (real connection attempts)', () => {
  it('client: unreachable address with an API key', async () => {
    const err = await createMediator({
      connection: { address: '127.0.0.1:1', apiKey: API_KEY, connectTimeout: '2s' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toContain('127.0.0.1:1');
    expect(everything(err)).not.toContain(API_KEY);
  }, 20_000);

  it('client: mTLS with an unusable private key', async () => {
    const err = await createMediator({
      connection: { address: '127.0.0.1:1', tls: mtls, connectTimeout: '2s' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(everything(err)).not.toContain('TOPSECRETKEYMATERIAL');
  }, 20_000);

  it('worker: unreachable address with an API key and mTLS', async () => {
    const err = await createWorker({
      handlers: createHandlers(),
      connection: { address: '127.0.0.1:1', apiKey: API_KEY, tls: mtls, connectTimeout: '2s' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toContain('127.0.0.1:1');
    expect(everything(err)).not.toContain(API_KEY);
    expect(everything(err)).not.toContain('TOPSECRETKEYMATERIAL');
  }, 20_000);
});
