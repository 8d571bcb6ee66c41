/**
 * Temporal's protobuf definitions, loaded from where the installed `@temporalio/client` finds them.
 * `@temporalio/proto` is not a dependency of this package: a second copy next to the SDK's own would
 * register the same protobuf names twice and make the SDK fail at load ("duplicate name …").
 */
import { createRequire } from 'node:module';
import type ProtoModule from '@temporalio/proto';

const require = createRequire(import.meta.url);
const fromClient = createRequire(require.resolve('@temporalio/client'));

/** The SDK's own `@temporalio/proto` module (CommonJS: its exports sit on the default export). */
export const proto = fromClient('@temporalio/proto') as typeof ProtoModule;
