# A throwaway Redis server for the tests (the REST server's shared rate limits). Sourced by
# scripts/test.sh, like scripts/pg.sh. dms_redis_start exports DMS_TEST_REDIS_URL;
# dms_redis_stop stops the server and removes its folder.

DMS_REDIS_DIR=""
DMS_REDIS_PORT=""

dms_redis_free_port() {
  local port
  for port in $(seq 56379 56479); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

dms_redis_start() {
  command -v redis-server >/dev/null 2>&1 || { echo "redis-server is not installed" >&2; return 1; }
  DMS_REDIS_DIR="$(mktemp -d /tmp/dms-redis.XXXXXX)"
  DMS_REDIS_PORT="$(dms_redis_free_port)" || { echo "no free port for Redis" >&2; return 1; }
  redis-server --bind 127.0.0.1 --port "$DMS_REDIS_PORT" --save '' --appendonly no \
    --dir "$DMS_REDIS_DIR" --daemonize yes --pidfile "$DMS_REDIS_DIR/redis.pid" \
    --logfile "$DMS_REDIS_DIR/redis.log" >/dev/null || { cat "$DMS_REDIS_DIR/redis.log" >&2; return 1; }
  local i
  for i in $(seq 1 100); do
    redis-cli -p "$DMS_REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.05
  done
  redis-cli -p "$DMS_REDIS_PORT" ping >/dev/null 2>&1 ||
    { cat "$DMS_REDIS_DIR/redis.log" >&2; return 1; }
  export DMS_TEST_REDIS_URL="redis://127.0.0.1:$DMS_REDIS_PORT"
  if declare -F dms_log >/dev/null; then dms_log "Redis at $DMS_TEST_REDIS_URL"; fi
}

dms_redis_stop() {
  [ -n "$DMS_REDIS_DIR" ] || return 0
  if [ -f "$DMS_REDIS_DIR/redis.pid" ]; then
    local pid i
    pid="$(cat "$DMS_REDIS_DIR/redis.pid")"
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
  fi
  rm -rf "$DMS_REDIS_DIR"
  DMS_REDIS_DIR=""
  DMS_REDIS_PORT=""
}
