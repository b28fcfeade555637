#!/usr/bin/env bash
# pip install ./bindings/python into a virtual environment outside the repository (offline:
# --no-build-isolation --no-index), a workflow run there with no PYTHONPATH; then a wheel with
# python3 -m build --no-isolation --wheel, installed into a second environment and imported.
# The CMake build directory stays in bindings/python/build (incremental; ccache when present).
# Usage: tests/packaging/python.sh <source dir>
set -euo pipefail
src="$1"
tmp="$(mktemp -d /tmp/dms-pip.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
unset PYTHONPATH DMS_NODE_ADDON
export PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
start=$SECONDS
/usr/bin/python3 -m venv --system-site-packages "$tmp/venv"
"$tmp/venv/bin/pip" install -q --no-build-isolation --no-index "$src/bindings/python"
echo "pip install: $((SECONDS - start)) s"
cp "$src/tests/packaging/workflow.py" "$tmp/"
(cd "$tmp" && "$tmp/venv/bin/python" workflow.py)

start=$SECONDS
(cd "$src/bindings/python" && /usr/bin/python3 -m build --no-isolation --wheel --outdir "$tmp/dist" . >/dev/null)
echo "wheel: $((SECONDS - start)) s: $(basename "$tmp"/dist/*.whl)"
/usr/bin/python3 -m zipfile -l "$tmp"/dist/*.whl >"$tmp/wheel.txt"
for f in dms/_native dms/libdms.so.0 dms/libdms_c.so.0 dms/__init__.pyi dms/py.typed; do
  grep -q "$f" "$tmp/wheel.txt" || { echo "the wheel lacks $f" >&2; cat "$tmp/wheel.txt" >&2; exit 1; }
done
/usr/bin/python3 -m venv --system-site-packages "$tmp/venv2"
"$tmp/venv2/bin/pip" install -q --no-index "$tmp"/dist/*.whl
(cd "$tmp" && "$tmp/venv2/bin/python" workflow.py)
