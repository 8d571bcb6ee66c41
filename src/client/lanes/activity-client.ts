/**
 * The part of `client.activity` (Standalone Activities, `@temporalio/client` >= 1.24) the standalone
 * lane uses, typed structurally: the package supports SDKs from 1.13, which have no such client, so
 * nothing here names its types or imports its classes (a missing named export would fail the import).
 */
import type { Client } from '@temporalio/client';
import { ServiceError } from '@temporalio/client';
import { errorMessage } from '../../core/errors.js';
import { LaneUnsupportedError } from '../../dispatch/lane.js';

/** The SDK release that brought `client.activity`. */
import { STANDALONE_SDK_NEEDED } from '../../dispatch/lane.js';
/** The server release that brought Standalone Activities, and the dynamic config that enables them. */
export const STANDALONE_SERVER_NEEDED =
  'a Temporal server >= 1.32 with standalone activities enabled (dynamic config activity.enableStandalone: true)';

/** What `describe()` of a standalone activity returns, as far as the lane reads it. */
export interface ActivityDescriptionLike {
  activityId: string;
  activityRunId: string;
  activityType: string;
  status: string;
  taskQueue: string;
  scheduleTime?: Date;
  closeTime?: Date;
  executionTime?: Date;
  startDelayMs?: number;
  lastStartedTime?: Date;
  attempt: number;
  typedSearchAttributes: { get(key: unknown): unknown };
  rawInfo: { userMetadata?: { summary?: unknown } | null };
  getHeartbeatDetails<T = unknown>(): Promise<T | undefined>;
}

/** A standalone activity's handle. */
export interface ActivityHandleLike {
  readonly activityId: string;
  /** The run this handle refers to (set on the handle `start` returns). */
  readonly runId?: string | undefined;
  result(): Promise<unknown>;
  describe(options?: { includeHeartbeatDetails?: boolean }): Promise<ActivityDescriptionLike>;
  cancel(reason: string): Promise<void>;
  terminate(reason: string): Promise<void>;
}

/** `client.activity`, as far as the lane uses it. */
export interface ActivityClientLike {
  start(activity: string, options: Record<string, unknown>): Promise<ActivityHandleLike>;
  getHandle(activityId: string, runId?: string): ActivityHandleLike;
}

/** Whether the client's SDK has standalone activities. */
export function hasActivityClient(client: Client): boolean {
  const activity = (client as unknown as { activity?: { start?: unknown } }).activity;
  return typeof activity?.start === 'function';
}

/** `client.activity`, or `LaneUnsupportedError` naming the SDK release that has it. */
export function activityClient(client: Client, request: string): ActivityClientLike {
  if (!hasActivityClient(client)) {
    throw new LaneUnsupportedError(request, {
      lane: 'standalone',
      reason: 'sdk',
      needed: STANDALONE_SDK_NEEDED,
    });
  }
  return (client as unknown as { activity: ActivityClientLike }).activity;
}

/** Whether an error is one of the SDK's by class name (its classes do not exist in older SDKs). */
export function isNamed(err: unknown, name: string): err is Error & Record<string, unknown> {
  return err instanceof Error && err.name === name;
}

const GRPC_UNIMPLEMENTED = 12;

/**
 * Whether a start failed because the server cannot run standalone activities: a server before 1.32
 * does not know the call (UNIMPLEMENTED), a 1.32 one without the dynamic config says it is disabled.
 */
export function isStandaloneUnsupported(err: unknown): boolean {
  const cause = err instanceof ServiceError ? (err.cause as { code?: unknown } | undefined) : undefined;
  const code = cause?.code ?? (err as { code?: unknown } | undefined)?.code;
  if (code === GRPC_UNIMPLEMENTED) return true;
  const text = `${errorMessage(err)} ${errorMessage(cause ?? '')}`;
  return /standalone activit(y|ies)/i.test(text) && /disabled|not (enabled|supported)/i.test(text);
}
