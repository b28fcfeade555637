# Shared by scripts/demo.sh and scripts/test.sh: install what is missing, configure and build.
# Sourced, not run.

DMS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DMS_PRESET="${DMS_PRESET:-dev}"
DMS_BUILD_DIR="$DMS_ROOT/build/$DMS_PRESET"
DMS_JOBS="${DMS_JOBS:-$(nproc)}"

# Debian bookworm packages the build, the tests and the demo need.
DMS_PACKAGES=(
  build-essential cmake pkg-config git ca-certificates
  libboost-dev libboost-date-time-dev libsqlitecpp-dev libsqlite3-dev sqlite3
  libpqxx-dev libpq-dev postgresql
  libsodium-dev nlohmann-json3-dev
  libprotobuf-dev protobuf-compiler
  catch2 libbenchmark-dev
  pybind11-dev python3-dev python3-pytest python3-mypy
  redis-server
  libcurl4-openssl-dev python3-aiosmtpd
  libcairo2-dev libpango1.0-dev fonts-noto-core poppler-utils libxlsxwriter-dev libqrencode-dev
  python3-openpyxl
  # the dms command; the pip/wheel and Debian packages (tests/packaging)
  libcli11-dev python3-setuptools python3-wheel python3-build python3-venv python3-pip dpkg-dev
  ccache  # the pip and npm package builds compile the library once between them
)

dms_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

dms_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the packages that are missing; silent when all are present.
dms_install_deps() {
  local missing=()
  local pkg
  for pkg in "${DMS_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  # Node.js may come from elsewhere (nodesource ships its own npm and headers); Debian's needs
  # libnode-dev for the addon headers.
  if ! command -v node >/dev/null 2>&1 || [ ! -f /usr/include/node/node_api.h ]; then
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    [ -f /usr/include/node/node_api.h ] || missing+=(libnode-dev)
  fi
  # npm: the REST server's packages and tests/packaging (Debian ships it apart from nodejs),
  # unless the Node.js installed ships its own.
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  dms_log "installing ${missing[*]}"
  dms_as_root apt-get update -qq
  dms_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# dms_build [target...]: configures once, then builds the preset (all targets, or those named).
dms_build() {
  local targets=()
  [ $# -gt 0 ] && targets=(--target "$@")
  cd "$DMS_ROOT"
  if [ ! -f "$DMS_BUILD_DIR/CMakeCache.txt" ]; then
    dms_log "configuring ($DMS_PRESET)"
    cmake --preset "$DMS_PRESET" >/dev/null
  fi
  dms_log "building ($DMS_PRESET, $DMS_JOBS jobs)"
  if ! cmake --build --preset "$DMS_PRESET" -j "$DMS_JOBS" "${targets[@]}" >"$DMS_BUILD_DIR/build.log" 2>&1; then
    grep -v -E '^\[ *[0-9]+%\]' "$DMS_BUILD_DIR/build.log" | tail -n 80 >&2
    dms_log "build failed (full log: $DMS_BUILD_DIR/build.log)"
    return 1
  fi
}
