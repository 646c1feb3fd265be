#!/usr/bin/env bash
# Takes a fresh machine to a running engine + Keycloak + gateway + worker: installs, builds the engine, fetches
# Keycloak, creates the databases, runs migrations, starts stopped services, then runs the gateway in the
# foreground (Ctrl-C stops it; the engine and Keycloak keep running: `npm run engine:stop`, `npm run keycloak:stop`).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_stack camunda_gateway
engine_start >/dev/null
keycloak_start >/dev/null
log "Building the gateway"
npm run -s build
log "Running migrations"
npm run -s migration:run
log "Starting the gateway on http://localhost:${PORT:-3000} (API docs: /docs)"
# A person reads this terminal: readable lines unless asked otherwise (the gateway's default is JSON, for collectors).
LOG_FORMAT="${LOG_FORMAT:-text}" exec node dist/src/main.js
