/**
 * `temporal-mediator/testing`: test your handlers and the code that dispatches, without a Temporal
 * server. An in-memory mediator on a test clock, a harness that records dispatches and stubs
 * handlers, Vitest matchers are in `temporal-mediator/vitest`, so this entry needs no test runner's types.
 */
export { createTestHarness, TestHarness, BACKGROUND_MODES, PUBLISH_MODES, recordsOf } from './harness.js';
export type { Dispatched, DispatchSource, TestHarnessOptions } from './harness.js';
export { HandlerStub, StubbedHandlers } from './stubs.js';
export type { StubCall, StubEntry, StubTable } from './stubs.js';
export * from '../in-memory/index.js';
export type { MediatorApi } from '../api/mediator-api.js';
