# Image of the email-to-ticket programs: one image, three commands.
#   node --expose-gc lib/worker.js    Temporal worker (the default)
#   node lib/starter.js   SQS -> Temporal bridge
#   node lib/web.js       admin page, its API, the tracking page
#   node lib/cli.js ...   operator commands (`setup` migrates the database and creates the AWS resources)
# docker-compose.yml runs them all from this image.

# --- build: compile TypeScript and the workflow bundle with the dev dependencies -----------------
FROM node:24-bookworm-slim AS build
WORKDIR /app

# Manifests first, so that the dependency layer is reused while only the sources change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .
# Produces lib/ (worker.js, starter.js, cli.js) and lib/workflow-bundle.js: production workers load
# the prebuilt bundle instead of running webpack at start.
RUN npm run build \
 && test -f lib/worker.js && test -f lib/starter.js && test -f lib/cli.js && test -f lib/workflow-bundle.js \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: the built app and its production dependencies only --------------------------------
# Same base as the build stage: @temporalio/core-bridge ships a prebuilt native (glibc) binary.
FROM node:24-bookworm-slim
# MALLOC_MMAP_THRESHOLD_: freed buffers of 4 MB and more (large emails) go back to the system (README, Performance).
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    MALLOC_MMAP_THRESHOLD_=4194304
WORKDIR /app
# Owned by root, so not writable by the app user: the programs never write to their own files.
# src/db/migrations/ comes along: lib/db/migrate.js reads the SQL files from src/.
COPY --from=build /app /app

# The base image's unprivileged user (uid 1000).
USER node

# Where worker and bridge serve /healthz and /readyz (README, "Health"): all interfaces, so that a
# Kubernetes probe reaches them too; no port is published unless asked.
ENV WORKER_HEALTH_ADDRESS=0.0.0.0:9466 \
    BRIDGE_HEALTH_ADDRESS=0.0.0.0:9467
EXPOSE 9466 9467

# The default command's (the worker's) readiness, fetched with node (the image has no curl).
# docker-compose.yml gives the bridge and the admin page their own; Kubernetes uses its probes instead.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch(process.argv[1], { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" \
      "http://127.0.0.1:${WORKER_HEALTH_ADDRESS##*:}/readyz"

# --expose-gc: a large email's parse collects its buffers at once.
CMD ["node", "--expose-gc", "lib/worker.js"]
