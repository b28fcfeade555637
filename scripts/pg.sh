# A throwaway PostgreSQL 15 server for the tests. Sourced by scripts/test.sh.
# dms_pg_start exports DMS_TEST_PG_URL and, for the reports' read-replica test, starts a streaming
# replica of it (pg_basebackup) and exports DMS_TEST_PG_REPLICA_URL; dms_pg_stop stops both and
# removes their folder.

DMS_PG_BIN="${DMS_PG_BIN:-/usr/lib/postgresql/15/bin}"
DMS_PG_DIR=""

dms_pg_run() {  # initdb and pg_ctl refuse root: run them as postgres when we are root
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dms_pg_free_port() {
  local port
  for port in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

dms_pg_start() {
  DMS_PG_DIR="$(mktemp -d /tmp/dms-pg.XXXXXX)"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DMS_PG_DIR"
  local port
  port="$(dms_pg_free_port)" || { echo "no free port for PostgreSQL" >&2; return 1; }
  dms_pg_run "$DMS_PG_BIN/initdb" -D "$DMS_PG_DIR/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$DMS_PG_DIR/initdb.log" 2>&1 ||
    { cat "$DMS_PG_DIR/initdb.log" >&2; return 1; }
  # fsync=off: a test server only; never for quoted benchmarks.
  dms_pg_run "$DMS_PG_BIN/pg_ctl" -D "$DMS_PG_DIR/data" -l "$DMS_PG_DIR/log" -w -t 30 \
    -o "-p $port -k $DMS_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
    start >/dev/null || { cat "$DMS_PG_DIR/log" >&2; return 1; }
  export DMS_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
  dms_log "PostgreSQL at $DMS_TEST_PG_URL"
  local replica_port
  replica_port="$(dms_pg_free_port_after "$port")" ||
    { echo "no free port for the PostgreSQL replica" >&2; return 1; }
  dms_pg_run "$DMS_PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres \
    -D "$DMS_PG_DIR/replica" -R -X stream -c fast >"$DMS_PG_DIR/basebackup.log" 2>&1 ||
    { cat "$DMS_PG_DIR/basebackup.log" >&2; return 1; }
  dms_pg_run "$DMS_PG_BIN/pg_ctl" -D "$DMS_PG_DIR/replica" -l "$DMS_PG_DIR/replica.log" -w -t 30 \
    -o "-p $replica_port -k $DMS_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" \
    start >/dev/null ||
    { cat "$DMS_PG_DIR/replica.log" >&2; return 1; }
  export DMS_TEST_PG_REPLICA_URL="postgresql://postgres@127.0.0.1:$replica_port/postgres"
  dms_log "PostgreSQL replica at $DMS_TEST_PG_REPLICA_URL"
}

dms_pg_free_port_after() {  # a free port above $1
  local port
  for port in $(seq $(($1 + 1)) 55632); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

dms_pg_stop() {
  [ -n "$DMS_PG_DIR" ] || return 0
  if [ -d "$DMS_PG_DIR/replica" ]; then
    dms_pg_run "$DMS_PG_BIN/pg_ctl" -D "$DMS_PG_DIR/replica" -m fast -w stop >/dev/null 2>&1 || true
  fi
  dms_pg_run "$DMS_PG_BIN/pg_ctl" -D "$DMS_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DMS_PG_DIR"
  DMS_PG_DIR=""
}
