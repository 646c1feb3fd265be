#!/usr/bin/env bash
# GET /tasks at 100,000 open tasks (bench/task-list.ts), written to bench/results-tasks.md. Needs the engine and
# Keycloak only to provision the two callers; the tasks are seeded straight into the mirror. Not part of CI.
# BENCH_OPEN_TASKS=10000 gives a quick run; BENCH_DATABASE names the database it recreates.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
bench_prepare "${BENCH_DATABASE:-camunda_gateway_bench_tasks}"
node dist-bench/bench/task-list.js
