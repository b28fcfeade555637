# A throwaway SMTP server (python3-aiosmtpd, tests/servers/smtp_sink.py) for the tests. Sourced
# by scripts/test.sh after lib.sh. dms_smtp_start exports DMS_TEST_SMTP_URL (smtp://127.0.0.1:P),
# DMS_TEST_SMTP_DIR (each message as <dir>/<recipient domain>/<n>.eml) and DMS_TEST_SMTP_USER /
# DMS_TEST_SMTP_PASSWORD (the only login AUTH accepts); dms_smtp_stop stops it and removes the
# folder.

DMS_SMTP_DIR=""
DMS_SMTP_PID=""

dms_free_port() {  # dms_free_port first last: the first port nobody listens on
  local port
  for port in $(seq "$1" "$2"); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# dms_wait_ready file pid: waits (up to 10 s) for "ready" in a server's output.
dms_wait_ready() {
  local i
  for i in $(seq 1 200); do
    grep -q '^ready' "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

dms_smtp_start() {
  DMS_SMTP_DIR="$(mktemp -d /tmp/dms-smtp.XXXXXX)"
  local port
  port="$(dms_free_port 58025 58125)" || { echo "no free port for SMTP" >&2; return 1; }
  export DMS_TEST_SMTP_USER="dms-test"
  export DMS_TEST_SMTP_PASSWORD="smtp-pass-$RANDOM$RANDOM"
  /usr/bin/python3 "$DMS_ROOT/tests/servers/smtp_sink.py" --port "$port" --dir "$DMS_SMTP_DIR/mail" \
    --user "$DMS_TEST_SMTP_USER" --password "$DMS_TEST_SMTP_PASSWORD" \
    >"$DMS_SMTP_DIR/log" 2>&1 &
  DMS_SMTP_PID=$!
  mkdir -p "$DMS_SMTP_DIR/mail"
  dms_wait_ready "$DMS_SMTP_DIR/log" "$DMS_SMTP_PID" ||
    { cat "$DMS_SMTP_DIR/log" >&2; return 1; }
  export DMS_TEST_SMTP_URL="smtp://127.0.0.1:$port"
  export DMS_TEST_SMTP_DIR="$DMS_SMTP_DIR/mail"
  dms_log "SMTP sink at $DMS_TEST_SMTP_URL (mail in $DMS_TEST_SMTP_DIR)"
}

dms_smtp_stop() {
  if [ -n "$DMS_SMTP_PID" ]; then
    kill "$DMS_SMTP_PID" 2>/dev/null || true
    wait "$DMS_SMTP_PID" 2>/dev/null || true
    DMS_SMTP_PID=""
  fi
  [ -n "$DMS_SMTP_DIR" ] && rm -rf "$DMS_SMTP_DIR"
  DMS_SMTP_DIR=""
}
