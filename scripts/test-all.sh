#!/usr/bin/env bash
# The whole suite: unit tests, then e2e tests on the real engine, PostgreSQL and RabbitMQ.
# Starts whatever is not running; stops the engine afterwards only if it started it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_stack camunda_gateway_test
ensure_engine_openapi
engine_state="$(engine_start)"
if [ "$engine_state" = started ]; then trap engine_stop EXIT; fi
# Multi-process tests run the built gateway (dist/) as child processes.
npm run -s build
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --no-warnings=ExperimentalWarning"
status=0
npx jest --runInBand --json --outputFile="$RUN_DIR/jest-results.json" "$@" || status=$?
# The plain closing line CI tools read, whatever the runner.
node -e 'const r = require(process.argv[1]); console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$RUN_DIR/jest-results.json" || true
exit "$status"
