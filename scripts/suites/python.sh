#!/usr/bin/env bash
# The Python binding's suite: pytest over tests/python against the module built in
# build/$DMS_PRESET (default dev). Fails when pytest fails or collects nothing (exit code 5).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$root/build/${DMS_PRESET:-dev}"
if ! compgen -G "$build/python/dms/_native*.so" >/dev/null; then
  echo "python.sh: dms._native is not built in $build (DMS_BUILD_PYTHON=ON?)" >&2
  exit 1
fi
cd "$root"
export PYTHONPATH="$root/bindings/python:$build/python"
export PYTHONDONTWRITEBYTECODE=1
status=0
/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/python || status=$?
if [ "$status" -eq 5 ]; then
  echo "python.sh: pytest collected no tests" >&2
fi
exit "$status"
