/** The in-memory mediator: the mediator's interface run in this process, with a controllable clock. Not durable. */
export { createInMemoryMediator, InMemoryMediator } from './mediator.js';
export type { InMemoryMediatorOptions, InMemoryModeOptions, InMemoryWorkerOptions } from './options.js';
export { createTestClock, realClock } from './clock.js';
export type { Clock, ClockTimer, RunUntilOptions, TestClock, TestClockOptions } from './clock.js';
export type { DispatchRecord, DispatchRecordMode } from './records.js';
