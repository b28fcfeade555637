#!/usr/bin/env bash
# Installs what is missing, builds, starts a throwaway PostgreSQL, SMTP sink and SMS gateway
# stand-in, runs every test suite.
# Exits non-zero when any suite fails or runs no test. Usage: scripts/test.sh
# Always: the malformed-request fuzzers of the C ABI and the Node addon also run in an ASan+UBSan
# build (build/asan). DMS_TEST_ASAN=1 runs every C++ suite under ASan+UBSan as well.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$DMS_ROOT/scripts/pg.sh"
source "$DMS_ROOT/scripts/smtp.sh"
source "$DMS_ROOT/scripts/gateway.sh"

dms_install_deps
dms_build

stop_servers() { dms_pg_stop; dms_smtp_stop; dms_gateway_stop; }
trap stop_servers EXIT INT TERM
dms_pg_start
dms_smtp_start
dms_gateway_start

status=0
run_suite() {  # run_suite name command...
  dms_log "suite: $1"
  shift
  if ! "$@"; then
    status=1
    dms_log "FAILED"
  fi
}

run_suite "C++ (ctest: unit, integration on SQLite and PostgreSQL, install/consumer)" \
  ctest --preset dev -j "$DMS_JOBS" --no-tests=error

for extra in "$DMS_ROOT"/scripts/suites/*.sh; do
  [ -e "$extra" ] || continue
  run_suite "$(basename "$extra" .sh)" bash "$extra"
done

if [ "${DMS_TEST_ASAN:-0}" = "1" ]; then
  DMS_PRESET=asan DMS_BUILD_DIR="$DMS_ROOT/build/asan" dms_build
  run_suite "every C++ suite under ASan+UBSan" ctest --preset asan -j "$DMS_JOBS" --no-tests=error
else
  DMS_PRESET=asan DMS_BUILD_DIR="$DMS_ROOT/build/asan" dms_build dms_capi_fuzz dms_node
  run_suite "fuzzers under ASan+UBSan (C ABI, Node addon)" \
    ctest --preset asan -R "fuzz" --no-tests=error
fi

if [ $status -ne 0 ]; then
  dms_log "some suites failed"
  exit 1
fi
dms_log "all suites passed"
