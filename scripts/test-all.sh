#!/usr/bin/env bash
# The whole suite: unit tests, then e2e tests on the real engine, Keycloak, PostgreSQL and RabbitMQ.
# Starts whatever is not running; stops the engine and Keycloak afterwards only if it started them.
# ENGINE picks the dev engine (scripts/lib.sh); TEST_STATIC_CHECKS=false skips formatting, lint and the dependency
# rules (scripts/test-engines.sh runs them once for all engines).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_stack
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
if [ "${TEST_STATIC_CHECKS:-true}" != false ]; then
  npm run -s format:check
  npm run -s lint
  npm run -s lint:deps
  # The benchmarks are not run here (minutes at their sizes), but they must keep compiling against the code.
  npx tsc --noEmit -p bench/tsconfig.json
fi
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --no-warnings=ExperimentalWarning"
status=0
# A run that fails before writing results must not report the previous run's.
results="$RUN_DIR/jest-results-$ENGINE.json"
rm -f "$results"
npx jest --runInBand --json --outputFile="$results" "$@" || status=$?
# The plain closing line CI tools read, whatever the runner, and which engine it was.
version="$(curl -fs -u "${CAMUNDA_USER:-demo}:${CAMUNDA_PASSWORD:-demo}" "$CAMUNDA_URL/version" || echo '{}')"
node -e 'const r = require(process.argv[1]); console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed (engine ${process.argv[2]} ${JSON.parse(process.argv[3]).version ?? "?"})`)' "$results" "$ENGINE" "$version" || true
# TEST_BENCH_SMOKE=true: the sync benchmark (bench/run.ts) at a small size, so its code cannot rot; it writes its
# report under .run/, never over bench/results.md.
if [ "${TEST_BENCH_SMOKE:-false}" = true ]; then
  log "Benchmark smoke run (BENCH_INSTANCES=200)"
  BENCH_INSTANCES=200 BENCH_STARTS=32 BENCH_RESULTS="$RUN_DIR/bench-smoke.md" bash bench/run.sh >"$RUN_DIR/bench-smoke.log" 2>&1 || {
    tail -40 "$RUN_DIR/bench-smoke.log" >&2
    log "Benchmark smoke run failed (log: .run/bench-smoke.log)"
    status=1
  }
  [ "$status" != 0 ] || log "Benchmark smoke run passed: $(grep -c '^| ' "$RUN_DIR/bench-smoke.md") rows in .run/bench-smoke.md"
fi
exit "$status"
