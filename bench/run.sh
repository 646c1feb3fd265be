#!/usr/bin/env bash
# Runs the benchmarks against the real stack and writes bench/results.md. Not part of CI: at the issue's sizes
# (10,000 open instances) it takes several minutes. BENCH_INSTANCES=500 npm run bench gives a quick run.
# BENCH_RESULTS names another file for the report (default bench/results.md).
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
# A database of its own, recreated by the real migrations.
export TEST_DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/camunda_gateway_bench"
psql -d postgres -qc 'DROP DATABASE IF EXISTS camunda_gateway_bench WITH (FORCE)' -c 'CREATE DATABASE camunda_gateway_bench'
DATABASE_URL="$TEST_DATABASE_URL" npm run -s migration:run >/dev/null
node dist-bench/bench/run.js
