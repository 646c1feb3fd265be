#!/usr/bin/env bash
# Usage: [ENGINE=camunda|camunda-7.20|operaton] scripts/engine.sh start|stop|status — the dev engine from deploy/engine/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
case "${1:-}" in
  start) ensure_toolchain; ensure_postgres; engine_start >/dev/null ;;
  stop) engine_stop ;;
  status) if engine_up; then echo "up: $CAMUNDA_URL"; else echo "down: $CAMUNDA_URL"; exit 1; fi ;;
  *) die "usage: scripts/engine.sh start|stop|status" ;;
esac
