#!/usr/bin/env bash
# Runs the libdms REST server (server/): installs what is missing, builds the Node addon, installs
# the server's npm packages (npm ci), and serves seed 002's API on an embedded SQLite file. A fresh
# database gets a first service center (SC001) and an admin whose temporary password is printed
# once (log in with it, then PUT /api/auth/change-password). Ctrl-C (SIGINT) or SIGTERM shuts down
# gracefully: requests in flight finish, then the database closes.
#
# Usage: scripts/serve.sh [--db FILE] [--pg URL] [--redis URL] [--port N] [--host H]
#                         [--admin EMAIL] [--token-secret S]
#   --db FILE      SQLite file (default: dms-server.db in the current folder)
#   --pg URL       a PostgreSQL database instead (postgresql://user@host:port/db)
#   --redis URL    share the rate limits with the other processes on this Redis (redis://...)
#   --token-secret the access-token key (needed when several processes serve one database;
#                  default: DMS_TOKEN_SECRET, or random per process)
# Then: http://HOST:PORT/api/docs (Swagger UI), /api/health, Socket.IO on the same port.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

db="$PWD/dms-server.db"
pg=""
redis="${REDIS_URL:-}"
port="${PORT:-3001}"
host="${HOST:-127.0.0.1}"
admin="admin@dealer.local"
secret="${DMS_TOKEN_SECRET:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db="$(realpath -m "$2")"; shift 2 ;;
    --pg) pg="$2"; shift 2 ;;
    --redis) redis="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --host) host="$2"; shift 2 ;;
    --admin) admin="$2"; shift 2 ;;
    --token-secret) secret="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "serve.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

dms_install_deps
dms_build dms_node
cd "$DMS_ROOT/server"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  dms_log "npm ci (server/)"
  # dms (../bindings/node) is linked; its addon is the one dms_build made (DMS_NODE_ADDON).
  DMS_NODE_SKIP_BUILD=1 npm ci --no-audit --no-fund --loglevel=error
fi

export DMS_NODE_ADDON="$DMS_BUILD_DIR/node/dms.node"
args=(--db "${pg:-$db}" --port "$port" --host "$host" --bootstrap-admin "$admin")
[ -n "$redis" ] && args+=(--redis "$redis")
[ -n "$secret" ] && export DMS_TOKEN_SECRET="$secret"
dms_log "serving ${pg:+PostgreSQL}${pg:-$db} on http://$host:$port (docs: /api/docs)"
# exec: the signals reach the server itself, which shuts down gracefully.
exec node bin/dms-server.js "${args[@]}"
