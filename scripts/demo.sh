#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on an embedded SQLite file.
# Usage: scripts/demo.sh [path/to/dealer.db]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dms_install_deps
dms_build

db="${1:-$DMS_BUILD_DIR/demo/dealer.db}"
mkdir -p "$(dirname "$db")"
exec "$DMS_BUILD_DIR/examples/cpp/dms_demo" "$db"
