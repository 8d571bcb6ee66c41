import { z } from 'zod';
import type { LogAttributes, Logger } from '../../src/index.js';
import { defineCommand, defineNotification, defineQuery } from '../../src/index.js';

/** One line captured by {@link capturingLogger}. */
export interface CapturedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  attributes: LogAttributes | undefined;
}

/** A logger that records every line, so tests can assert on what behaviors logged. */
export function capturingLogger(): Logger & { lines: CapturedLine[] } {
  const lines: CapturedLine[] = [];
  const at =
    (level: CapturedLine['level']) =>
    (message: string, attributes?: LogAttributes): void => {
      lines.push({ level, message, attributes });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that drops everything (keeps test output clean). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Captures what a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Captures what a function throws; fails the test if it returns. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the function to throw, but it returned');
}

// Shared contracts. Each test file builds its own registry, so sharing definitions is safe.
export const CreateUser = defineCommand({
  name: 'CreateUser',
  input: z.object({ email: z.string().email(), name: z.string().min(1) }),
  output: z.object({ userId: z.string() }),
  queue: 'critical',
  retry: { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2 },
  timeout: '30s',
});

export const GetUser = defineQuery({
  name: 'GetUser',
  input: z.object({ userId: z.string() }),
  output: z.object({ userId: z.string(), name: z.string() }),
});

export const UserCreated = defineNotification({
  name: 'UserCreated',
  input: z.object({ userId: z.string() }),
});
