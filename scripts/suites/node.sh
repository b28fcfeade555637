#!/usr/bin/env bash
# The Node binding's suite: node --test over tests/node against the addon built in
# build/$DMS_PRESET (default dev). Fails when a test fails or when no test ran.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$root/build/${DMS_PRESET:-dev}"
export DMS_NODE_ADDON="$build/node/dms.node"
if [ ! -f "$DMS_NODE_ADDON" ]; then
  echo "node.sh: $DMS_NODE_ADDON is not built (DMS_BUILD_NODE=ON?)" >&2
  exit 1
fi
cd "$root"
tap="$(mktemp)"
trap 'rm -f "$tap"' EXIT
status=0
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" tests/node/ || status=$?
passed="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -n 1)"
if [ "$status" -eq 0 ] && [ "${passed:-0}" -eq 0 ]; then
  echo "node.sh: no test ran" >&2
  exit 1
fi
exit "$status"
