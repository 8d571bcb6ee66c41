import type { Client } from '@temporalio/client';
import type { Progress } from '../observability/console.js';
import { decodePayload } from '../core/payloads.js';

/**
 * The latest progress of a running job from its handler attempts' heartbeat details: exact even when
 * the job's console budget allows no more shipments (heartbeat details are not kept in history).
 */
export async function heartbeatProgress(client: Client, jobId: string): Promise<Progress | undefined> {
  const { raw } = await client.workflow.getHandle(jobId).describe();
  let latest: Progress | undefined;
  for (const activity of raw.pendingActivities ?? []) {
    const details = await decodePayload<{ progress?: Progress }>(
      client,
      activity.heartbeatDetails?.payloads?.[0],
    ).catch(() => undefined);
    const p = details?.progress;
    if (p && typeof p.fraction === 'number' && typeof p.at === 'string')
      latest = newest(latest, p) ?? undefined;
  }
  return latest;
}

/** The later of two progress reports (by their `at`). */
export function newest(a: Progress | null | undefined, b: Progress | null | undefined): Progress | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return b.at > a.at ? b : a;
}
