/**
 * Every place the mediator reaches past the Temporal SDK's root exports: two undocumented fields and
 * one module path inside a package. All are guarded by `test/integration/sdk-internals.test.ts`, which
 * fails loudly when an SDK release changes them.
 */
import { createRequire } from 'node:module';
import type { Client } from '@temporalio/client';
// The default import (module.exports): Node's ESM loader cannot see this export as a named one in
// some SDK releases (1.13.x), and a missing named export would fail the whole import.
import clientModule from '@temporalio/client';

/** The SDK's marker on connections; `undefined` if a release drops it (then the fast lane starts normally). */
export const connectionLikeSymbol: symbol | undefined = (
  clientModule as { InternalConnectionLikeSymbol?: symbol }
).InternalConnectionLikeSymbol;

/**
 * Whether the client's connection can eagerly start workflows (a `NativeConnection` shared with a
 * worker of this process). The SDK's own check reads the same marker and throws when it is missing,
 * so the fast lane asks first and falls back to a normal start.
 */
export function supportsEagerStart(client: Client): boolean {
  if (!connectionLikeSymbol) return false;
  const marker = (
    client.connection as unknown as Record<symbol, { supportsEagerStart?: boolean } | undefined>
  )[connectionLikeSymbol];
  return marker?.supportsEagerStart === true;
}

/** The process-global Runtime class of `@temporalio/worker`, as far as the mediator looks at it. */
export interface RuntimeClassLike {
  /** Set once the Runtime exists (undocumented; there is no public "is it created?" call). */
  _instance?: unknown;
  instantiator?: 'install' | 'instance';
}

/** Whether this process already created Temporal's native Runtime (its options are then fixed). */
export function runtimeCreated(Runtime: RuntimeClassLike): boolean {
  return Runtime._instance !== undefined;
}

const require = createRequire(import.meta.url);

/**
 * The workflow interceptors module of `@temporalio/interceptors-opentelemetry`: a path inside the
 * package (no export names it), the one its README tells workers to bundle.
 */
export function otelWorkflowInterceptorsModule(): string {
  return require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');
}
