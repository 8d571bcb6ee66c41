import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { createMediator } from '../../src/index.js';
import { createWorker } from '../../src/worker/create-worker.js';
import type { Handlers, Mediator, MediatorOptions } from '../../src/index.js';
import type { WorkerOptions } from '../../src/worker/create-worker.js';
import type { MediatorWorker } from '../../src/worker/create-worker.js';
import { consoleLogger } from '../../src/core/logger.js';

let code: string | undefined;

/** The workflow bundle built once by the global setup. */
export function workflowBundle(): { code: string } {
  code ??= readFileSync(inject('workflowBundlePath'), 'utf8');
  return { code };
}

export const address = () => inject('temporalAddress');

/** A task queue no other test uses. */
export function uniqueQueue(prefix = 'q'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export const quietLogger = consoleLogger(
  (process.env.TEMPORAL_MEDIATOR_LOG_LEVEL as 'warn' | undefined) ?? 'warn',
);

export function testMediator(options: MediatorOptions = {}): Promise<Mediator> {
  return createMediator({ connection: { address: address() }, logger: quietLogger, ...options });
}

export function testWorker(
  handlers: Handlers,
  options: Partial<WorkerOptions> = {},
): Promise<MediatorWorker> {
  return createWorker({
    connection: { address: address() },
    handlers,
    workflowBundle: workflowBundle(),
    logger: quietLogger,
    shutdownGraceTime: '2s',
    ...options,
  });
}
