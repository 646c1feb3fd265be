#!/usr/bin/env bash
# The whole suite: unit tests, then e2e tests on the real engine, Keycloak, PostgreSQL and RabbitMQ.
# Starts whatever is not running; stops the engine and Keycloak afterwards only if it started them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_stack camunda_gateway_test
ensure_engine_openapi
engine_state="" keycloak_state=""
stop_what_this_run_started() {
  if [ "$keycloak_state" = started ]; then keycloak_stop; fi
  if [ "$engine_state" = started ]; then engine_stop; fi
}
trap stop_what_this_run_started EXIT
engine_state="$(engine_start)"
keycloak_state="$(keycloak_start)"
# Multi-process tests run the built gateway (dist/) as child processes.
npm run -s build
# Formatting (Prettier), lint (ESLint, typescript-eslint strict and type-aware) and the dependency rules
# (.dependency-cruiser.cjs): any of them broken fails the run before any test.
npm run -s format:check
npm run -s lint
npm run -s lint:deps
# The benchmarks are not run here (minutes at their sizes), but they must keep compiling against the code.
npx tsc --noEmit -p bench/tsconfig.json
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --no-warnings=ExperimentalWarning"
status=0
# A run that fails before writing results must not report the previous run's.
rm -f "$RUN_DIR/jest-results.json"
npx jest --runInBand --json --outputFile="$RUN_DIR/jest-results.json" "$@" || status=$?
# The plain closing line CI tools read, whatever the runner.
node -e 'const r = require(process.argv[1]); console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$RUN_DIR/jest-results.json" || true
exit "$status"
