/**
 * Upserting one recurring job (`addOrUpdate`) and reconciling a declared set with the server
 * (`syncRecurring`), like Hangfire's `AddOrUpdate` and BullMQ's `upsertJobScheduler`.
 */
import type { Client, ScheduleHandle } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { ScheduleAlreadyRunning, ScheduleNotFoundError } from '@temporalio/client';
import type { AnyDefinition, InputOf } from '../contracts/definitions.js';
import { InvalidOptionError, SearchAttributeMissingError, errorMessage } from '../core/errors.js';
import { MEDIATOR_REQUEST } from '../jobs/handle.js';
import type { ResolvedMediatorOptions } from '../dispatch/options.js';
import type { DesiredSchedule, RecurringOptions, RecurringSettings, RecurringWhen } from './options.js';
import { UNOWNED, planSchedule, readMark, withOwner } from './options.js';
import type { RecurringHandle } from './handle.js';
import { createRecurringHandle, onSchedule } from './handle.js';

/** One recurring job declared in code, for {@link syncRecurring}. */
export interface RecurringDeclaration<D extends AnyDefinition = AnyDefinition> {
  /** Schedule id: stable, unique on the namespace. */
  id: string;
  definition: D;
  input: InputOf<D>;
  /** When and how it runs. The owner comes from `syncRecurring`'s options. */
  options: RecurringWhen & Omit<RecurringSettings, 'owner'>;
}

/** Options of `syncRecurring`. */
export interface SyncRecurringOptions {
  /** Compute and return the diff without changing anything. @default false */
  dryRun?: boolean;
  /**
   * Owner id, required: only schedules marked with it are created, updated or removed. Give each
   * service (or each set of declarations) its own owner so their syncs never remove each other's
   * schedules. Schedules made by `addOrUpdate` without an owner belong to no sync.
   */
  owner: string;
}

/** What `syncRecurring` did (or, with `dryRun`, would do): schedule ids per outcome. */
export interface RecurringDiff {
  created: string[];
  updated: string[];
  removed: string[];
  unchanged: string[];
}

/** Everything `addOrUpdate` needs. */
export interface UpsertRequest {
  id: string;
  definition: AnyDefinition;
  input: unknown;
  options: RecurringOptions;
}

/** Creates the schedule, or updates it when its spec or action changed; refuses other owners' schedules. */
export async function addOrUpdateRecurring(
  client: Client,
  resolved: ResolvedMediatorOptions,
  request: UpsertRequest,
): Promise<{ handle: RecurringHandle; outcome: UpsertOutcome }> {
  const desired = await planSchedule({ ...request, resolved });
  const existing = await readExisting(client, desired.id);
  const outcome = decideUpsert(desired, existing);
  await applyUpsert(client, resolved, { desired, existing, outcome });
  return { handle: createRecurringHandle(client, desired.id), outcome };
}

/**
 * Reconciles declared recurring jobs with the server for one owner: creates the missing ones,
 * updates the changed ones (by the hash kept in their mark), removes this owner's schedules that are
 * no longer declared. Schedules without the mark or with another owner are never touched; declaring
 * an id they use fails before anything changes. Removal relies on schedule listing, which is
 * eventually consistent: a schedule created a moment ago may only be removed by the next sync.
 */
export async function syncRecurring(
  client: Client,
  resolved: ResolvedMediatorOptions,
  declared: RecurringDeclaration[],
  options: SyncRecurringOptions,
): Promise<RecurringDiff> {
  // Plan everything first: a bad declaration or a foreign schedule fails before any change.
  const { owner, ids, steps } = await planSync(declared, options, resolved, async (plan) => {
    const existing = await readExisting(client, plan.id);
    return { desired: plan, existing, outcome: decideUpsert(plan, existing) };
  });
  const removed: string[] = [];
  for await (const s of client.schedule.list()) {
    if (!ids.has(s.scheduleId) && readMark(s.memo)?.owner === owner) removed.push(s.scheduleId);
  }
  const diff = syncDiff(steps, removed);
  if (options.dryRun) return diff;
  for (const step of steps) await applyUpsert(client, resolved, step);
  for (const id of removed) {
    await onSchedule(id, () => client.schedule.getHandle(id).delete()).catch((err: unknown) => {
      // Listing lags behind: it may still show a schedule removed a moment ago.
      if ((err as { code?: unknown }).code !== 'RECURRING_NOT_FOUND') throw err;
    });
  }
  return diff;
}

/** The owner of a sync: required, non-empty, not the reserved owner of schedules without one. */
export function assertSyncOwner(options: SyncRecurringOptions | undefined): string {
  const owner: unknown = options?.owner;
  if (typeof owner !== 'string' || owner.trim() === '') {
    throw new InvalidOptionError(
      'owner',
      "syncRecurring needs { owner }: the id of the service (or set of declarations) whose schedules it creates, updates and removes; other owners' schedules and those made by addOrUpdate without an owner are never touched",
    );
  }
  if (owner === UNOWNED) {
    throw new InvalidOptionError(
      'owner',
      `'${UNOWNED}' marks schedules without an owner, which no sync touches; name your service instead`,
    );
  }
  return owner;
}

/** A declaration planned for a sync, and what applying it does. */
export interface SyncStep {
  desired: DesiredSchedule;
  outcome: UpsertOutcome;
}

/**
 * The first half of a sync, the same on every backend: the owner checked, duplicate ids refused,
 * and every declaration planned (with the owner's mark) and decided by `decide`, before any change.
 */
export async function planSync<S extends SyncStep>(
  declared: RecurringDeclaration[],
  options: SyncRecurringOptions,
  resolved: ResolvedMediatorOptions,
  decide: (desired: DesiredSchedule) => S | Promise<S>,
): Promise<{ owner: string; ids: Set<string>; steps: S[] }> {
  const owner = assertSyncOwner(options);
  const ids = new Set<string>();
  for (const d of declared) {
    if (ids.has(d.id)) throw new InvalidOptionError('id', `recurring job '${d.id}' is declared twice`);
    ids.add(d.id);
  }
  const steps = await Promise.all(
    declared.map(async (d) =>
      decide(await planSchedule({ ...d, options: withOwner(d.options, owner), resolved })),
    ),
  );
  return { owner, ids, steps };
}

/** A sync's diff: the planned steps' ids by outcome, and the ids it removes. */
export function syncDiff(steps: SyncStep[], removed: string[]): RecurringDiff {
  const pick = (outcome: UpsertOutcome) =>
    steps.filter((s) => s.outcome === outcome).map((s) => s.desired.id);
  return { created: pick('created'), updated: pick('updated'), removed, unchanged: pick('unchanged') };
}

/**
 * Types one declaration for {@link syncRecurring}: `input` is checked against the definition.
 *
 * @example
 * const jobs = [defineRecurring({ id: 'daily-cleanup', definition: Cleanup, input: {}, options: { cron: '0 2 * * *' } })];
 */
export function defineRecurring<D extends AnyDefinition>(
  declaration: RecurringDeclaration<D>,
): RecurringDeclaration {
  return declaration;
}

/** What an upsert did. */
export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** The current state of a schedule id, for deciding what an upsert does. */
export type ExistingSchedule =
  | { kind: 'missing' }
  | { kind: 'present'; owner: string | undefined; request: string | undefined; hash: string | undefined };

/** Reads what a schedule id currently holds (ownership and hash). */
export async function readExisting(client: Client, id: string): Promise<ExistingSchedule> {
  try {
    const d = await client.schedule.getHandle(id).describe();
    const created = readMark(d.memo);
    const current = readMark(d.action.memo);
    // The schedule's memo keeps the request it was created with; the action's mark the current one.
    const request = current?.request ?? created?.request;
    return { kind: 'present', owner: created?.owner, request, hash: current?.hash };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return { kind: 'missing' };
    throw err;
  }
}

/** Decides what an upsert of `desired` over `existing` does, refusing schedules of other owners. */
export function decideUpsert(desired: DesiredSchedule, existing: ExistingSchedule): UpsertOutcome {
  if (existing.kind === 'missing') return 'created';
  if (existing.owner !== desired.owner) {
    const who =
      existing.owner === undefined
        ? 'was not created by temporal-mediator'
        : existing.owner === UNOWNED
          ? 'was made by addOrUpdate without an owner'
          : `is owned by '${existing.owner}'`;
    throw new InvalidOptionError(
      'id',
      `schedule '${desired.id}' already exists and ${who}; remove it first, pick another id, or pass its owner as { owner }`,
      { request: desired.request },
    );
  }
  return existing.hash === desired.mark.hash && existing.request === desired.request
    ? 'unchanged'
    : 'updated';
}

/** Applies an upsert decided by {@link decideUpsert}. */
export async function applyUpsert(
  client: Client,
  resolved: ResolvedMediatorOptions,
  step: { desired: DesiredSchedule; existing: ExistingSchedule; outcome: UpsertOutcome },
): Promise<void> {
  const { desired, outcome } = step;
  if (outcome === 'unchanged') return;
  try {
    if (outcome === 'created') {
      await create(client, desired).catch(async (err: unknown) => {
        // Created concurrently by someone else: fall back to a checked update.
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        const now = await readExisting(client, desired.id);
        if (decideUpsert(desired, now) === 'updated')
          await update(client.schedule.getHandle(desired.id), desired);
      });
    } else {
      // A new request too is updated in place (the action's envelope and mark): deleting and
      // re-creating would leave a moment with no schedule, and lose it if the create failed.
      await onSchedule(desired.id, () => update(client.schedule.getHandle(desired.id), desired));
    }
  } catch (err) {
    if (isSearchAttributeProblem(err))
      throw new SearchAttributeMissingError(resolved.namespace, resolved.address, err);
    throw err;
  }
}

async function create(client: Client, desired: DesiredSchedule): Promise<void> {
  await client.schedule.create({
    scheduleId: desired.id,
    spec: desired.spec,
    action: desired.action,
    policies: desired.policies,
    memo: { ...desired.action.memo },
    // The schedule's own MediatorRequest: `listRecurring()` reads the current request from it (the
    // memo keeps the request the schedule was created with), and `--query` can filter schedules.
    typedSearchAttributes: desired.action.typedSearchAttributes,
  });
}

function update(handle: ScheduleHandle, desired: DesiredSchedule): Promise<void> {
  // Keep the state (paused, note, remaining actions): an operator's pause survives a redeploy.
  return handle.update((previous) => ({
    spec: desired.spec,
    action: desired.action,
    policies: desired.policies,
    state: previous.state,
    typedSearchAttributes: scheduleAttributes(previous.typedSearchAttributes, desired),
  }));
}

/** The schedule's search attributes with MediatorRequest set to the desired request (others kept). */
function scheduleAttributes(
  previous: { getAll?: () => SearchAttributePair[] } | undefined,
  desired: DesiredSchedule,
): SearchAttributePair[] | undefined {
  const ours = desired.action.typedSearchAttributes as SearchAttributePair[] | undefined;
  if (!ours) return undefined;
  const others = (previous?.getAll?.() ?? []).filter((p) => p.key.name !== MEDIATOR_REQUEST.name);
  return [...others, ...ours];
}

function isSearchAttributeProblem(err: unknown): boolean {
  const text = errorMessage(err) + errorMessage((err as { cause?: unknown })?.cause ?? '');
  return /search attribute/i.test(text) && text.includes('MediatorRequest');
}
