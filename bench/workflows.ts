/**
 * The benchmark's workflow bundle: the mediator's generic workflow and, as the baseline, the workflow
 * a Temporal user writes by hand for one request (one workflow calling one activity).
 */
import { proxyActivities } from '@temporalio/workflow';

export { executeRequest } from '../workflows/index.js';

const { rawEcho } = proxyActivities<{ rawEcho(input: { text: string }): Promise<{ text: string }> }>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2 },
});

/** Hand-written baseline. */
export async function rawWorkflow(input: { text: string }): Promise<{ text: string }> {
  return rawEcho(input);
}
