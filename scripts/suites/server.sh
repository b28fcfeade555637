#!/usr/bin/env bash
# The REST server's suite (server/): npm ci when node_modules is missing or older than the lock
# file, then node --test server/test/ against the addon built in build/$DMS_PRESET (default dev).
# Needs DMS_TEST_PG_URL and DMS_TEST_REDIS_URL (scripts/test.sh starts both; the two-process
# tests FAIL without them). Fails when a test fails or when no test ran.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$root/build/${DMS_PRESET:-dev}"
export DMS_NODE_ADDON="$build/node/dms.node"
if [ ! -f "$DMS_NODE_ADDON" ]; then
  echo "server.sh: $DMS_NODE_ADDON is not built (DMS_BUILD_NODE=ON?)" >&2
  exit 1
fi
cd "$root/server"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # dms (../bindings/node) is linked; its addon is the one dms_build made (DMS_NODE_ADDON).
  DMS_NODE_SKIP_BUILD=1 npm ci --no-audit --no-fund --loglevel=error
fi
tap="$(mktemp)"
trap 'rm -f "$tap"' EXIT
status=0
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" test/*.test.js || status=$?
passed="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -n 1)"
if [ "$status" -eq 0 ] && [ "${passed:-0}" -eq 0 ]; then
  echo "server.sh: no test ran" >&2
  exit 1
fi
exit "$status"
