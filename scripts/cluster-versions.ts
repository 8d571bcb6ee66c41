/**
 * The one place that pins the production-topology versions: the Temporal server and
 * `temporal-sql-tool` built from their Go module, the Web UI server, and the docker-compose
 * images of the same releases. `test/unit/cluster-versions.test.ts` keeps docker-compose.yml in step.
 */

/** Temporal server release (Go module `go.temporal.io/server`). */
export const TEMPORAL_SERVER_VERSION = '1.32.2';

/** Web UI server release (Go module `github.com/temporalio/ui-server/v2`); v2.58.x does not build from the module proxy. */
export const TEMPORAL_UI_VERSION = '2.56.4';

/** The Go toolchain the server module requires (`go` fetches it when the local one is older). */
export const GO_TOOLCHAIN = 'go1.26.10';

/** Go packages built by the provisioning, by the binary name `go install` gives them. */
export const GO_PACKAGES = {
  server: `go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
  sql: `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
  ui: `github.com/temporalio/ui-server/v2/cmd/server@v${TEMPORAL_UI_VERSION}`,
} as const;

/**
 * docker-compose.yml images of the same releases. admin-tools images of 1.30+ are tagged with the
 * bare server version (older ones carried `-tctl-…-cli-…`). Docker Hub is not reachable from the
 * machine these were chosen on, so the tags follow the published naming scheme, not a pull.
 */
export const COMPOSE_IMAGES = {
  server: `temporalio/server:${TEMPORAL_SERVER_VERSION}`,
  adminTools: `temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`,
  ui: `temporalio/ui:${TEMPORAL_UI_VERSION}`,
} as const;

/** History shards of the cluster mode and of compose (`NUM_HISTORY_SHARDS`); the dev server has 1. */
export const HISTORY_SHARDS = 4;
