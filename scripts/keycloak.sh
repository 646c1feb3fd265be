#!/usr/bin/env bash
# Usage: scripts/keycloak.sh start|stop|status — Keycloak in dev mode with the realm from deploy/keycloak/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
case "${1:-}" in
  start) ensure_toolchain; keycloak_start >/dev/null ;;
  stop) keycloak_stop ;;
  status) if keycloak_up; then echo "up: $KEYCLOAK_URL/realms/$KEYCLOAK_REALM"; else echo "down: $KEYCLOAK_URL/realms/$KEYCLOAK_REALM"; exit 1; fi ;;
  *) die "usage: scripts/keycloak.sh start|stop|status" ;;
esac
