#!/usr/bin/env bash
# Starting a ticket through the gateway (read-your-writes included) against the engine's own start, 16 clients,
# rounds alternating, written to bench/results-starts.md. Not part of CI. BENCH_STARTS (per side per round, default
# 200) and BENCH_ROUNDS (default 5) size it; BENCH_DATABASE names the database it recreates.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
bench_prepare "${BENCH_DATABASE:-camunda_gateway_bench_starts}"
node dist-bench/bench/starts.js
