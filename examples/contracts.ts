import { z } from 'zod';
import { defineCommand, defineNotification, defineQuery } from '../src/index.js';

/** Creates a user; runs on the `critical` queue with 3 attempts. */
export const CreateUser = defineCommand({
  name: 'CreateUser',
  input: z.object({ email: z.email(), name: z.string().min(1) }),
  output: z.object({ userId: z.string() }),
  queue: 'critical',
  retry: { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2 },
  timeout: '30s',
  description: 'Create a user',
});

/** Sends an email; the demo handler fails once to show a retry. */
export const SendEmail = defineCommand({
  name: 'SendEmail',
  input: z.object({ to: z.email(), subject: z.string() }),
  output: z.object({ messageId: z.string(), attempts: z.number() }),
  queue: 'emails',
  retry: { maximumAttempts: 5, initialInterval: '500ms', backoffCoefficient: 2 },
});

/** Reads a user. */
export const GetUser = defineQuery({
  name: 'GetUser',
  input: z.object({ userId: z.string() }),
  output: z.object({ userId: z.string(), email: z.string() }).nullable(),
});

/** Published after a user is created. */
export const UserCreated = defineNotification({
  name: 'UserCreated',
  input: z.object({ userId: z.string() }),
});
