/**
 * Reads a recorded history file (the proto JSON of `temporal workflow show --output json` and the
 * Web UI's download) into the `History` message the replayer takes.
 *
 * The SDK's own `historyFromJSON` is not used: it parses with `@temporalio/common`'s copy of
 * protobufjs and checks `instanceof Type` against `@temporalio/proto`'s types, which fails
 * ("type must be a Type") whenever npm installs the two packages with separate protobufjs copies,
 * as it does here (a protobufjs 7 is hoisted for OpenTelemetry). Parsing with the protobufjs that
 * `@temporalio/proto` itself loads works with either layout.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { temporal } from '@temporalio/proto';

type Type = { resolveAll(): void };
type Root = { lookupType(name: string): Type };

const fromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const { fromJson } = fromProto('protobufjs/ext/protojson') as {
  fromJson: (type: Type, json: unknown, options: { ignoreUnknownFields: boolean }) => unknown;
};
const { patchProtobufRoot } = fromProto('@temporalio/proto/lib/patch-protobuf-root') as {
  patchProtobufRoot: (root: unknown) => Root;
};
const historyType = patchProtobufRoot(fromProto('@temporalio/proto')).lookupType(
  'temporal.api.history.v1.History',
);

/** Loads a history JSON file. */
export function loadHistory(path: string): temporal.api.history.v1.IHistory {
  const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
  return fromJson(historyType, json, { ignoreUnknownFields: true }) as temporal.api.history.v1.IHistory;
}
