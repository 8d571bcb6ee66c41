import type { AnyDefinition } from './definitions.js';
import { InvalidOptionError } from '../core/errors.js';

/** Which definition kinds each operation takes. */
const ALLOWED: Record<string, AnyDefinition['kind'][]> = {
  send: ['command', 'query'],
  enqueue: ['command', 'query'],
  enqueueAsync: ['command', 'query'],
  publish: ['notification'],
  enqueuePublish: ['notification'],
};

/** Refuses a definition of the wrong kind for an operation (a notification to `send`, …). */
export function expectKind(definition: AnyDefinition, op: string): void {
  const allowed = ALLOWED[op];
  if (allowed && !allowed.includes(definition.kind)) {
    const hint =
      definition.kind === 'notification'
        ? 'use publish or enqueuePublish'
        : 'use send, enqueue or enqueueAsync';
    throw new InvalidOptionError(
      'definition',
      `'${definition.name}' is a ${definition.kind}; ${op} takes a ${allowed.join(' or ')} (${hint})`,
      {
        request: definition.name,
      },
    );
  }
}
