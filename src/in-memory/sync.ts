/** `syncRecurring` in memory: the shared plan and diff (`planSync`, `syncDiff`) over this process's schedules. */
import type { ResolvedMediatorOptions } from '../dispatch/options.js';
import type { RecurringDeclaration, RecurringDiff, SyncRecurringOptions } from '../recurring/sync.js';
import { planSync, syncDiff } from '../recurring/sync.js';
import type { InMemorySchedules } from './schedules.js';

/** Reconciles declared recurring jobs for one owner, as the Temporal path does. */
export async function syncInMemory(
  schedules: InMemorySchedules,
  resolved: ResolvedMediatorOptions,
  declared: RecurringDeclaration[],
  options: SyncRecurringOptions,
): Promise<RecurringDiff> {
  const { owner, ids, steps } = await planSync(declared, options, resolved, (desired) => ({
    desired,
    outcome: schedules.decide(desired),
  }));
  const diff = syncDiff(steps, schedules.ownedBy(owner, ids));
  if (options.dryRun) return diff;
  for (const s of steps) schedules.apply(s.desired, s.outcome);
  for (const id of diff.removed) schedules.remove(id);
  return diff;
}
