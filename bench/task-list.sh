#!/usr/bin/env bash
# GET /tasks at 100,000 open tasks (bench/task-list.ts), written to bench/results-tasks.md. Needs the engine and
# Keycloak only to provision the two callers; the tasks are seeded straight into the mirror. Not part of CI.
# BENCH_OPEN_TASKS=10000 gives a quick run; BENCH_DATABASE names the database it recreates.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
ensure_stack
engine_state="$(engine_start)"
keycloak_state="$(keycloak_start)"
stop_started() {
  if [ "$engine_state" = started ]; then engine_stop; fi
  if [ "$keycloak_state" = started ]; then keycloak_stop; fi
}
trap stop_started EXIT
npm run -s build
npx tsc -p bench/tsconfig.json
database="${BENCH_DATABASE:-camunda_gateway_bench_tasks}"
export TEST_DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/${database}"
psql -d postgres -qc "DROP DATABASE IF EXISTS ${database} WITH (FORCE)" -c "CREATE DATABASE ${database}"
DATABASE_URL="$TEST_DATABASE_URL" npm run -s migration:run >/dev/null
node dist-bench/bench/task-list.js
