# Shared helpers for the project's scripts: bring up PostgreSQL, RabbitMQ and the dev Camunda engine.
# Sourced, not run. Every function is idempotent: it starts only what is not already running.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="$ROOT/.run"
ENGINE_DIR="$ROOT/deploy/engine"
ENGINE_JAR="$ENGINE_DIR/target/camunda-dev-engine.jar"
export CAMUNDA_URL="${CAMUNDA_URL:-http://localhost:8080/engine-rest}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
mkdir -p "$RUN_DIR"

log() { printf '\033[1;34m[camunda-gateway]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[camunda-gateway] %s\033[0m\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() { # description seconds command...
  local what="$1" seconds="$2"; shift 2
  for ((i = 0; i < seconds; i++)); do "$@" && return 0; sleep 1; done
  die "$what did not come up within ${seconds}s"
}

apt_install() {
  command -v apt-get >/dev/null || die "Missing $*; install it and retry"
  log "Installing $* (apt)"
  if [ ! -f "$RUN_DIR/.apt-updated" ]; then apt-get update -qq && touch "$RUN_DIR/.apt-updated"; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_toolchain() {
  command -v java >/dev/null || apt_install openjdk-17-jdk-headless
  command -v mvn >/dev/null || apt_install maven
  command -v psql >/dev/null || apt_install postgresql-client
  command -v curl >/dev/null || apt_install curl
}

ensure_postgres() {
  port_open "$PGHOST" "$PGPORT" && return 0
  [ "$PGHOST" = 127.0.0.1 ] || [ "$PGHOST" = localhost ] || die "PostgreSQL at $PGHOST:$PGPORT is not reachable"
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then apt_install postgresql; fi
  log "Starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  wait_for PostgreSQL 60 port_open "$PGHOST" "$PGPORT"
}

ensure_rabbitmq() {
  port_open 127.0.0.1 5672 && return 0
  command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
  log "Starting RabbitMQ"
  rabbitmq-server -detached
  wait_for RabbitMQ 90 port_open 127.0.0.1 5672
}

ensure_database() {
  psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1 && return 0
  log "Creating database $1"
  createdb "$1"
}

engine_up() { curl -fs -o /dev/null --max-time 3 "$CAMUNDA_URL/engine"; }

engine_build() {
  if [ -f "$ENGINE_JAR" ] && [ -z "$(find "$ENGINE_DIR/pom.xml" "$ENGINE_DIR/src" -newer "$ENGINE_JAR" -print -quit)" ]; then return 0; fi
  log "Building the dev Camunda engine (first build downloads from Maven Central)"
  # To stderr: the stdout of engine_start is its answer ("started"), which callers read.
  (cd "$ENGINE_DIR" && mvn -q -B -DskipTests package) >&2
}

# Starts the dev engine unless one already answers at CAMUNDA_URL. Prints "started" when this call started it.
engine_start() {
  if engine_up; then log "Camunda engine already answering at $CAMUNDA_URL"; return 0; fi
  ensure_database camunda
  engine_build
  log "Starting the dev Camunda engine (log: .run/engine.log)"
  nohup java -Xmx1g -jar "$ENGINE_JAR" >"$RUN_DIR/engine.log" 2>&1 &
  echo $! >"$RUN_DIR/engine.pid"
  for ((i = 0; i < 240; i++)); do
    engine_up && { log "Camunda engine up: $CAMUNDA_URL (Cockpit: http://localhost:8080/camunda/app/, demo/demo)"; echo started; return 0; }
    kill -0 "$(cat "$RUN_DIR/engine.pid")" 2>/dev/null || { tail -30 "$RUN_DIR/engine.log" >&2; die "Camunda engine exited during start-up"; }
    sleep 1
  done
  die "Camunda engine did not answer within 240s; see .run/engine.log"
}

engine_stop() {
  [ -f "$RUN_DIR/engine.pid" ] || return 0
  local pid; pid="$(cat "$RUN_DIR/engine.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    log "Stopping the dev Camunda engine (pid $pid)"
    kill "$pid"
    for ((i = 0; i < 30; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  rm -f "$RUN_DIR/engine.pid"
}

# Everything but the engine: toolchain, npm packages, PostgreSQL, RabbitMQ, and the named databases.
ensure_stack() {
  ensure_toolchain
  ensure_node_modules
  ensure_postgres
  ensure_rabbitmq
  for database in "$@"; do ensure_database "$database"; done
}

# Camunda's own OpenAPI document of engine-rest (from Maven Central), for the contract test.
ensure_engine_openapi() {
  local version target="$RUN_DIR/camunda-openapi.json"
  version="$(sed -n 's:.*<camunda.version>\(.*\)</camunda.version>.*:\1:p' "$ENGINE_DIR/pom.xml")"
  export CAMUNDA_OPENAPI="$target"
  [ -s "$target" ] && grep -q "\"version\" *: *\"$version\"" "$target" && return 0
  log "Fetching engine-rest's OpenAPI document $version"
  rm -rf "$RUN_DIR/openapi" && mkdir -p "$RUN_DIR/openapi"
  (cd "$ENGINE_DIR" && mvn -q -B dependency:copy -Dartifact="org.camunda.bpm:camunda-engine-rest-openapi:$version" -DoutputDirectory="$RUN_DIR/openapi") >&2
  (cd "$RUN_DIR/openapi" && jar xf "camunda-engine-rest-openapi-$version.jar" openapi.json && mv openapi.json "$target")
}

ensure_node_modules() {
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "Installing npm dependencies"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
}
