#!/usr/bin/env bash
# External-task throughput (bench/workers.ts), written to bench/results-workers.md: a no-op worker through the
# gateway's runtime against camunda-external-task-client-js alone, and gateway.publish against raw amqplib
# confirm-publishing, each pair in the same run. Not part of CI. BENCH_TASKS=200 gives a smoke run (default 2,000);
# BENCH_DATABASE names the database it recreates.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
bench_prepare "${BENCH_DATABASE:-camunda_gateway_bench_workers}"
node dist-bench/bench/workers.js
