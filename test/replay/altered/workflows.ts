/**
 * A deliberately incompatible edit of the workflow, for the replay test's proof that replay catches
 * nondeterminism: the real `executeRequest`, with a timer added before it (the kind of change an
 * innocent "wait a moment before the first attempt" would make). Never used outside that test.
 */
import { sleep } from '@temporalio/workflow';
import type { Envelope } from '../../../src/dispatch/envelope.js';
import { executeRequest as current } from '../../../workflows/index.js';

export async function executeRequest(envelope: Envelope): Promise<unknown> {
  await sleep(1);
  return current(envelope);
}
