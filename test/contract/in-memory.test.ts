import { createInMemoryMediator, createTestClock } from '../../src/index.js';
import type { Logger } from '../../src/index.js';
import { randomUUID } from 'node:crypto';
import { realSleep } from './backend.js';
import { contractSuite } from './suite.js';

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const uniqueQueue = () => `contract-${randomUUID().slice(0, 8)}`;

// In memory with a test clock: delays, backoffs and timeouts take no real time.
contractSuite({
  name: 'in-memory (test clock)',
  start(handlers, options = {}) {
    const queue = uniqueQueue();
    const clock = createTestClock();
    const mediator = createInMemoryMediator({
      handlers,
      clock,
      logger: silent,
      defaults: { queue },
      ...options,
    });
    return Promise.resolve({
      mediator,
      queue,
      now: () => clock.now(),
      settle: (promise) => clock.runUntil(promise),
      elapse: (ms) => clock.advance(ms),
      close: () => mediator.close(),
    });
  },
});

// In memory with the real clock (the default): the same contract in real time.
contractSuite({
  name: 'in-memory (real clock)',
  start(handlers, options = {}) {
    const queue = uniqueQueue();
    const mediator = createInMemoryMediator({ handlers, logger: silent, defaults: { queue }, ...options });
    return Promise.resolve({
      mediator,
      queue,
      now: () => Date.now(),
      settle: (promise) => promise,
      elapse: realSleep,
      close: () => mediator.close(),
    });
  },
});
