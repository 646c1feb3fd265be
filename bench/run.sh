#!/usr/bin/env bash
# Runs the benchmarks against the real stack and writes bench/results.md. Not part of CI: at the issue's sizes
# (10,000 open instances) it takes several minutes. BENCH_INSTANCES=500 npm run bench gives a quick run.
# BENCH_RESULTS names another file for the report (default bench/results.md).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
bench_prepare camunda_gateway_bench
node dist-bench/bench/run.js
