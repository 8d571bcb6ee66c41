/**
 * `temporal-mediator/vitest`: Vitest matchers for dispatches recorded by the in-memory mediator and
 * the test harness (`expect.extend(mediatorMatchers)`). Needs the optional peer `vitest`; everything
 * else for tests is in `temporal-mediator/testing`, which needs no test runner.
 */
export { mediatorMatchers } from './matchers.js';
export type { MediatorMatchers } from './matchers.js';
