# camunda-gateway: one image for the API (GATEWAY_ROLE=api), the workers (GATEWAY_ROLE=worker) and the migrations
# (command: node node_modules/typeorm/cli.js migration:run -d dist/src/database/data-source.js).
# Build: docker build -t camunda-gateway .  Without Docker Hub: bash scripts/container-image.sh build (podman, on a
# base made locally and passed as NODE_IMAGE).

ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ls: npm 10.8 can exit 0 after failing every fetch ("Exit handler never called!") with an empty node_modules,
# and a layer cached that way would stay broken.
RUN npm ci --no-audit --no-fund && npm ls >/dev/null
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm ls --omit=dev >/dev/null && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bpmn ./bpmn
# The image's own unprivileged user (uid 1000); nothing in /app is writable by it.
USER node
EXPOSE 3000
# Liveness only: readiness (/health/ready) depends on the engine, database and broker, which an orchestrator probes.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
