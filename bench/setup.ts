import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../src/index.js';

/** The mediator's request, equivalent to the baseline's activity. */
export const BenchEcho = defineCommand({
  name: 'BenchEcho',
  input: z.object({ text: z.string() }),
  output: z.object({ text: z.string() }),
});

export const handlers = createHandlers().handle(BenchEcho, (input) => ({ text: input.text }));

/** The baseline's activity. */
export const rawActivities = { rawEcho: (input: { text: string }) => Promise.resolve({ text: input.text }) };

export const benchWorkflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));

/** Worker settings shared by every scenario. */
export const WORKER_SETTINGS = {
  maxConcurrentActivityTaskExecutions: 200,
  maxConcurrentWorkflowTaskExecutions: 100,
  maxConcurrentLocalActivityExecutions: 200,
};
