#!/usr/bin/env bash
# CI's suite: the static checks and unit tests once, then the e2e suite on each dev engine, one after another, each
# engine with its own port and database (scripts/lib.sh) and each run with its own gateway test database:
#   camunda (7.24)  the whole suite, unit tests, formatting, lint and dependency rules included, and a small run
#                   of the sync benchmark
#   operaton        the whole e2e suite but the container image test
#   camunda-7.20    the core e2e: ticket flow, out-of-band sync, tasks, variables, and the engine-rest contract
# Every engine runs even when an earlier one failed; each ends with its own "jest: N passed, M failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
CORE_SPECS=(test/ticket-approval.e2e-spec.ts test/out-of-band.e2e-spec.ts test/tasks.e2e-spec.ts test/variables.e2e-spec.ts test/engine-contract.e2e-spec.ts)
database_url() { echo "postgres://${PGUSER:-postgres}@${PGHOST:-127.0.0.1}:${PGPORT:-5432}/$1"; }
status=0
run_engine() { # engine database jest-args...
  local engine="$1" database="$2" started=$SECONDS
  shift 2
  printf '\033[1;34m[camunda-gateway]\033[0m Suite on engine %s\n' "$engine" >&2
  ENGINE="$engine" TEST_DATABASE_URL="$(database_url "$database")" bash scripts/test-all.sh "$@" || status=1
  printf '\033[1;34m[camunda-gateway]\033[0m Engine %s: %d s\n' "$engine" $((SECONDS - started)) >&2
}
TEST_BENCH_SMOKE=true run_engine camunda camunda_gateway_test
# The container image does not depend on the engine: built and run once, in the Camunda 7.24 run.
TEST_STATIC_CHECKS=false run_engine operaton camunda_gateway_test_operaton --selectProjects e2e --testPathIgnorePatterns /node_modules/ test/container-image
TEST_STATIC_CHECKS=false run_engine camunda-7.20 camunda_gateway_test_camunda720 "${CORE_SPECS[@]}"
exit "$status"
