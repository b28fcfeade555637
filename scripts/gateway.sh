# A throwaway stand-in for the SMS provider's HTTP gateway (tests/servers/sms_gateway.py). Sourced
# by scripts/test.sh after lib.sh and smtp.sh (dms_free_port, dms_wait_ready). dms_gateway_start
# exports DMS_TEST_SMS_URL (http://127.0.0.1:P; tests append /<token>/ok, /<token>/fail/<n> or
# /<token>/fail/always) and DMS_TEST_SMS_DIR (each request as <dir>/<token>/<n>.json);
# dms_gateway_stop stops it and removes the folder.

DMS_GATEWAY_DIR=""
DMS_GATEWAY_PID=""

dms_gateway_start() {
  DMS_GATEWAY_DIR="$(mktemp -d /tmp/dms-sms.XXXXXX)"
  mkdir -p "$DMS_GATEWAY_DIR/requests"
  local port
  port="$(dms_free_port 58180 58280)" || { echo "no free port for the SMS gateway" >&2; return 1; }
  /usr/bin/python3 "$DMS_ROOT/tests/servers/sms_gateway.py" --port "$port" \
    --dir "$DMS_GATEWAY_DIR/requests" >"$DMS_GATEWAY_DIR/log" 2>&1 &
  DMS_GATEWAY_PID=$!
  dms_wait_ready "$DMS_GATEWAY_DIR/log" "$DMS_GATEWAY_PID" ||
    { cat "$DMS_GATEWAY_DIR/log" >&2; return 1; }
  export DMS_TEST_SMS_URL="http://127.0.0.1:$port"
  export DMS_TEST_SMS_DIR="$DMS_GATEWAY_DIR/requests"
  dms_log "SMS gateway stand-in at $DMS_TEST_SMS_URL (requests in $DMS_TEST_SMS_DIR)"
}

dms_gateway_stop() {
  if [ -n "$DMS_GATEWAY_PID" ]; then
    kill "$DMS_GATEWAY_PID" 2>/dev/null || true
    wait "$DMS_GATEWAY_PID" 2>/dev/null || true
    DMS_GATEWAY_PID=""
  fi
  [ -n "$DMS_GATEWAY_DIR" ] && rm -rf "$DMS_GATEWAY_DIR"
  DMS_GATEWAY_DIR=""
}
