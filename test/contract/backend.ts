import type { DispatchBehavior, Handlers, MediatorApi, ValidateOptions } from '../../src/index.js';

/** Mediator options a contract test may set; both backends honour them. */
export interface ContractMediatorOptions {
  behaviors?: DispatchBehavior[];
  validate?: ValidateOptions;
}

/** A running backend: a mediator whose jobs are served by the given handlers. */
export interface ContractEnv {
  mediator: MediatorApi;
  /** The queue jobs run on (unique per environment). */
  queue: string;
  /** The backend's time, ms (a test clock's, or the real one). */
  now(): number;
  /** Waits for `promise` while the backend's time passes (a test clock advances by itself). */
  settle<T>(promise: Promise<T>): Promise<T>;
  /** Lets `ms` of the backend's time pass. */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** What the contract suite is parameterised by. */
export interface ContractBackend {
  name: string;
  /** The lane commands and queries run on; tests of what that lane gives up are skipped. @default 'workflow' */
  lane?: 'standalone';
  start(handlers: Handlers, options?: ContractMediatorOptions): Promise<ContractEnv>;
}

/** A promise with its resolve function exposed. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
