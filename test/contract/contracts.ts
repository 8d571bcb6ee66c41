import { z } from 'zod';
import { defineCommand, defineNotification } from '../../src/index.js';

/** Requests the contract suite runs on every backend. */
export const CEcho = defineCommand({
  name: 'CEcho',
  input: z.object({ text: z.string().min(1) }),
  output: z.object({ text: z.string(), attempt: z.number() }),
  retry: { maximumAttempts: 3, initialInterval: '100ms', backoffCoefficient: 2 },
});

export const CFlaky = defineCommand({
  name: 'CFlaky',
  input: z.object({ failTimes: z.number().int() }),
  output: z.object({ attempts: z.number() }),
  retry: { maximumAttempts: 5, initialInterval: '200ms', backoffCoefficient: 2 },
});

/** Waits for its abort signal (or for the test to release it); one attempt. */
export const CWait = defineCommand({
  name: 'CWait',
  input: z.object({ key: z.string() }),
  output: z.object({ done: z.boolean() }),
  retry: { maximumAttempts: 1 },
});

/** Waits for its abort signal; two attempts, so an attempt timeout is retried once. */
export const CHang = defineCommand({
  name: 'CHang',
  input: z.object({}),
  output: z.object({}),
  retry: { maximumAttempts: 2, initialInterval: '100ms' },
  timeout: '700ms',
});

export const CBadOutput = defineCommand({
  name: 'CBadOutput',
  input: z.object({}),
  output: z.object({ id: z.string() }),
  retry: { maximumAttempts: 3, initialInterval: '100ms' },
});

export const COrphan = defineCommand({
  name: 'COrphan',
  input: z.object({}),
  output: z.object({}),
  retry: { maximumAttempts: 5, initialInterval: '100ms' },
});

export const CRefuse = defineCommand({
  name: 'CRefuse',
  input: z.object({ reason: z.enum(['closed', 'declined']) }),
  output: z.object({}),
  retry: { maximumAttempts: 5, initialInterval: '100ms' },
});

export const CReport = defineCommand({
  name: 'CReport',
  input: z.object({ pages: z.number().int() }),
  output: z.object({ pages: z.number() }),
});

export const COrderPlaced = defineNotification({
  name: 'COrderPlaced',
  input: z.object({ orderId: z.string() }),
  retry: { maximumAttempts: 3, initialInterval: '100ms', backoffCoefficient: 2 },
});

export const CNobodyListens = defineNotification({ name: 'CNobodyListens', input: z.object({}) });
