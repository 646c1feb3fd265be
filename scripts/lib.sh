# Shared helpers for the project's scripts: bring up PostgreSQL, RabbitMQ, the dev Camunda engine and Keycloak.
# Sourced, not run. Every function is idempotent: it starts only what is not already running.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="$ROOT/.run"
ENGINE_DIR="$ROOT/deploy/engine"
# Which dev engine (deploy/engine/pom.xml): each has its own build folder, port and database, so they run side by side.
export ENGINE="${ENGINE:-camunda}"
case "$ENGINE" in
  camunda) ENGINE_DEFAULT_PORT=8080 ENGINE_DATABASE=camunda ENGINE_WEBAPP=camunda ;;
  camunda-7.20) ENGINE_DEFAULT_PORT=8082 ENGINE_DATABASE=camunda720 ENGINE_WEBAPP=camunda ;;
  operaton) ENGINE_DEFAULT_PORT=8081 ENGINE_DATABASE=operaton ENGINE_WEBAPP=operaton ;;
  *) printf '[camunda-gateway] ENGINE must be camunda, camunda-7.20 or operaton, not %s\n' "$ENGINE" >&2; exit 1 ;;
esac
ENGINE_PORT_IN_USE="${ENGINE_PORT:-$ENGINE_DEFAULT_PORT}"
ENGINE_JAR="$ENGINE_DIR/target/$ENGINE/dev-engine.jar"
export CAMUNDA_URL="${CAMUNDA_URL:-http://localhost:$ENGINE_PORT_IN_USE/engine-rest}"
# The engine-rest contract test checks requests against this document on every engine.
CAMUNDA_OPENAPI_VERSION=7.24.0
KEYCLOAK_VERSION="${KEYCLOAK_VERSION:-26.7.3}"
KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
KEYCLOAK_HOME="$RUN_DIR/keycloak-$KEYCLOAK_VERSION"
KEYCLOAK_REALM_FILE="$ROOT/deploy/keycloak/camunda-gateway-realm.json"
export KEYCLOAK_URL="${KEYCLOAK_URL:-http://localhost:$KEYCLOAK_PORT}" KEYCLOAK_REALM="${KEYCLOAK_REALM:-camunda-gateway}"
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
  log "Building the dev engine $ENGINE (first build downloads from Maven Central)"
  # To stderr: the stdout of engine_start is its answer ("started"), which callers read.
  (cd "$ENGINE_DIR" && mvn -q -B -DskipTests -Dengine="$ENGINE" package) >&2
}

# Starts the dev engine unless one already answers at CAMUNDA_URL. Prints "started" when this call started it.
engine_start() {
  if engine_up; then log "Engine already answering at $CAMUNDA_URL"; return 0; fi
  ensure_database "$ENGINE_DATABASE"
  engine_build
  log "Starting the dev engine $ENGINE (log: .run/engine-$ENGINE.log)"
  nohup java -Xmx1g -jar "$ENGINE_JAR" >"$RUN_DIR/engine-$ENGINE.log" 2>&1 &
  echo $! >"$RUN_DIR/engine-$ENGINE.pid"
  for ((i = 0; i < 240; i++)); do
    engine_up && { log "Engine $ENGINE up: $CAMUNDA_URL (Cockpit: http://localhost:$ENGINE_PORT_IN_USE/$ENGINE_WEBAPP/app/, demo/demo)"; echo started; return 0; }
    kill -0 "$(cat "$RUN_DIR/engine-$ENGINE.pid")" 2>/dev/null || { tail -30 "$RUN_DIR/engine-$ENGINE.log" >&2; die "Engine $ENGINE exited during start-up"; }
    sleep 1
  done
  die "Engine $ENGINE did not answer within 240s; see .run/engine-$ENGINE.log"
}

stop_started_process() { # pid-file-name description
  [ -f "$RUN_DIR/$1" ] || return 0
  local pid; pid="$(cat "$RUN_DIR/$1")"
  if kill -0 "$pid" 2>/dev/null; then
    log "Stopping $2 (pid $pid)"
    kill "$pid"
    for ((i = 0; i < 30; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  rm -f "$RUN_DIR/$1"
}

engine_stop() { stop_started_process "engine-$ENGINE.pid" "the dev engine $ENGINE"; }

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
  local version="$CAMUNDA_OPENAPI_VERSION" target="$RUN_DIR/camunda-openapi.json"
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

keycloak_up() { curl -fs -o /dev/null --max-time 3 "$KEYCLOAK_URL/realms/$KEYCLOAK_REALM/.well-known/openid-configuration"; }

java_major_version() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'; }

# Keycloak needs Java 21+, while the engine runs on the default Java 17: look for a newer JDK next to it.
keycloak_java_home() {
  local path_java candidate
  path_java="$(command -v java || true)"
  for candidate in "${KEYCLOAK_JAVA_HOME:-}" "${JAVA_HOME:-}" ${path_java:+"$(dirname "$(dirname "$(readlink -f "$path_java")")")"} /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if [ "$(java_major_version "$candidate/bin/java")" -ge 21 ] 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}

# The distribution zip from Maven Central (cached in ~/.m2 like every other artifact), unpacked into .run/.
keycloak_install() {
  [ -x "$KEYCLOAK_HOME/bin/kc.sh" ] && return 0
  log "Fetching Keycloak $KEYCLOAK_VERSION from Maven Central (org.keycloak:keycloak-quarkus-dist)"
  # Outside any project, so the plugin's unpack markers land in the scratch directory and go with it.
  local scratch="$RUN_DIR/keycloak-unpack"
  rm -rf "$scratch" && mkdir -p "$scratch"
  (cd "$scratch" && mvn -q -B dependency:unpack -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" -DoutputDirectory="$scratch/dist") >&2
  mv "$scratch/dist/keycloak-$KEYCLOAK_VERSION" "$KEYCLOAK_HOME"
  rm -rf "$scratch"
}

realm_file_hash() { sha256sum "$KEYCLOAK_REALM_FILE" | cut -d' ' -f1; }

# --import-realm skips realms that already exist, so a changed realm file gets a fresh dev database instead.
keycloak_prepare_realm() {
  local stamp="$KEYCLOAK_HOME/data/imported-realm.sha256"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(realm_file_hash)" ] && return 0
  log "Keycloak gets a fresh dev database to import deploy/keycloak/$(basename "$KEYCLOAK_REALM_FILE")"
  rm -rf "$KEYCLOAK_HOME/data" && mkdir -p "$KEYCLOAK_HOME/data/import"
  cp "$KEYCLOAK_REALM_FILE" "$KEYCLOAK_HOME/data/import/"
}

keycloak_realm_imported() {
  local stamp="$KEYCLOAK_HOME/data/imported-realm.sha256"
  [ ! -f "$stamp" ] || [ "$(cat "$stamp")" = "$(realm_file_hash)" ]
}

# Starts Keycloak in dev mode unless one already answers at KEYCLOAK_URL. Prints "started" when this call started it.
keycloak_start() {
  if keycloak_up; then
    keycloak_realm_imported || log "The realm file changed since Keycloak imported it: npm run keycloak:stop && npm run keycloak:start re-imports it"
    log "Keycloak already answering at $KEYCLOAK_URL"
    return 0
  fi
  local java_home
  java_home="$(keycloak_java_home)" || die "Keycloak $KEYCLOAK_VERSION needs Java 21 or newer, and none was found (KEYCLOAK_JAVA_HOME, JAVA_HOME, PATH, /usr/lib/jvm/*). Install a JDK 21+ (e.g. Eclipse Temurin 21 or 25 from https://adoptium.net, or openjdk-21-jdk-headless where the distribution has it) or point KEYCLOAK_JAVA_HOME at one."
  keycloak_install
  keycloak_prepare_realm
  log "Starting Keycloak $KEYCLOAK_VERSION in dev mode on port $KEYCLOAK_PORT with Java from $java_home (log: .run/keycloak.log)"
  JAVA_HOME="$java_home" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    nohup "$KEYCLOAK_HOME/bin/kc.sh" start-dev --http-port "$KEYCLOAK_PORT" --import-realm >"$RUN_DIR/keycloak.log" 2>&1 &
  echo $! >"$RUN_DIR/keycloak.pid"
  for ((i = 0; i < 180; i++)); do
    if keycloak_up; then
      realm_file_hash >"$KEYCLOAK_HOME/data/imported-realm.sha256"
      log "Keycloak up: $KEYCLOAK_URL/realms/$KEYCLOAK_REALM (admin console: $KEYCLOAK_URL/admin, admin/admin)"
      echo started
      return 0
    fi
    kill -0 "$(cat "$RUN_DIR/keycloak.pid")" 2>/dev/null || { tail -30 "$RUN_DIR/keycloak.log" >&2; die "Keycloak exited during start-up"; }
    sleep 1
  done
  die "Keycloak did not answer within 180s; see .run/keycloak.log"
}

keycloak_stop() { stop_started_process keycloak.pid Keycloak; }

# For the benchmarks: the stack up (the engine and Keycloak stopped again on exit if this started them), the gateway
# and the benchmarks built, and a database of their own ($1) recreated by the real migrations, as TEST_DATABASE_URL.
bench_prepare() {
  ensure_stack
  bench_engine_state="$(engine_start)"
  bench_keycloak_state="$(keycloak_start)"
  trap bench_stop_started EXIT
  npm run -s build
  npx tsc -p bench/tsconfig.json
  export TEST_DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/$1"
  # The benches analyze the engine's database after seeding it (bench/engine-statistics.ts): autovacuum is off here.
  export BENCH_ENGINE_DATABASE="${BENCH_ENGINE_DATABASE:-$ENGINE_DATABASE}"
  psql -d postgres -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
  DATABASE_URL="$TEST_DATABASE_URL" npm run -s migration:run >/dev/null
}

bench_stop_started() {
  if [ "$bench_engine_state" = started ]; then engine_stop; fi
  if [ "$bench_keycloak_state" = started ]; then keycloak_stop; fi
}
