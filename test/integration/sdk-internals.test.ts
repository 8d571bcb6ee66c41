/**
 * Guards the two undocumented SDK details the mediator reads (src/sdk/internals.ts). When an SDK
 * release changes either, this fails loudly instead of the fast lane silently losing eager start or
 * `installMetrics` silently installing nothing.
 */
import type { Client } from '@temporalio/client';
import { Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import {
  connectionLikeSymbol,
  otelWorkflowInterceptorsModule,
  runtimeCreated,
  supportsEagerStart,
} from '../../src/sdk/internals.js';
import { address } from './helpers.js';

describe('SDK internals the mediator depends on', () => {
  it('the connection marker exists: a NativeConnection supports eager start, a client Connection does not', async () => {
    expect(typeof connectionLikeSymbol).toBe('symbol');
    const native = await NativeConnection.connect({ address: address() });
    const plain = await Connection.connect({ address: address() });
    try {
      expect(supportsEagerStart({ connection: native } as unknown as Client)).toBe(true);
      expect(supportsEagerStart({ connection: plain } as unknown as Client)).toBe(false);
    } finally {
      await native.close();
      await plain.close();
    }
  });

  it('Runtime._instance tells whether the process-global Runtime exists', async () => {
    const native = await NativeConnection.connect({ address: address() });
    try {
      expect(runtimeCreated(Runtime)).toBe(true);
      expect(Runtime._instance).toBeInstanceOf(Runtime);
    } finally {
      await native.close();
    }
    expect(runtimeCreated({})).toBe(false);
  });

  it('the OpenTelemetry workflow interceptors module resolves and exports the interceptors factory', async () => {
    const path = otelWorkflowInterceptorsModule();
    const mod = (await import(path)) as { interceptors?: unknown };
    expect(typeof mod.interceptors).toBe('function');
  });
});
