#!/usr/bin/env bash
# npm install <path to bindings/node> into a temporary npm project (npm init -y), then the
# tarball of npm pack into another; each runs a workflow with require('dms') and no environment
# variable. Both build the addon on install (bindings/node/scripts/install.js). The path install
# builds in bindings/node/build (incremental); the tarball builds inside the temporary project,
# with CCACHE_BASEDIR set to it so ccache hits on the next run.
# Usage: tests/packaging/node.sh <source dir>
set -euo pipefail
src="$1"
# npm 11 warns that dependencies' install scripts need an allowScripts entry (and may come to
# enforce it): approve the package and rebuild when its install script did not run.
ensure_built() {  # ensure_built <log>
  if [ ! -f node_modules/dms/dms.node ]; then
    npm install-scripts approve dms >>"$1" 2>&1
    npm rebuild --foreground-scripts dms >>"$1" 2>&1 || { cat "$1" >&2; exit 1; }
  fi
  [ -f node_modules/dms/dms.node ] || { echo "the addon was not built" >&2; cat "$1" >&2; exit 1; }
}
tmp="$(mktemp -d /tmp/dms-npm.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
unset DMS_NODE_ADDON DMS_NODE_SKIP_BUILD
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

mkdir "$tmp/by-path" && cd "$tmp/by-path"
npm init -y >/dev/null
start=$SECONDS
npm install --foreground-scripts "$src/bindings/node" >"$tmp/by-path.log" 2>&1 ||
  { cat "$tmp/by-path.log" >&2; exit 1; }
ensure_built "$tmp/by-path.log"
echo "npm install <path>: $((SECONDS - start)) s"
cp "$src/tests/packaging/workflow.js" .
node workflow.js

mkdir "$tmp/pack" && cd "$tmp/pack"
start=$SECONDS
tarball="$(cd "$tmp/pack" && npm pack --silent "$src/bindings/node" | tail -n 1)"
echo "npm pack: $((SECONDS - start)) s: $tarball ($(du -h "$tarball" | cut -f1))"
tar -tzf "$tarball" >"$tmp/contents.txt"
for f in package/index.js package/scripts/install.js package/native/CMakeLists.txt \
         package/native/src/CMakeLists.txt package/native/bindings/node/src/addon.cc; do
  grep -qx "$f" "$tmp/contents.txt" || { echo "the tarball lacks $f" >&2; exit 1; }
done
if grep -q -e '\.node$' -e '\.so' -e '/build/' "$tmp/contents.txt"; then
  echo "the tarball carries build output" >&2
  exit 1
fi
mkdir "$tmp/from-tarball" && cd "$tmp/from-tarball"
npm init -y >/dev/null
start=$SECONDS
CCACHE_BASEDIR="$tmp/from-tarball" npm install --foreground-scripts "$tmp/pack/$tarball" \
  >"$tmp/tarball.log" 2>&1 || { cat "$tmp/tarball.log" >&2; exit 1; }
CCACHE_BASEDIR="$tmp/from-tarball" ensure_built "$tmp/tarball.log"
echo "npm install <tarball>: $((SECONDS - start)) s"
cp "$src/tests/packaging/workflow.js" .
node workflow.js
