# Image of the email-to-ticket programs: one image, three commands.
#   node --expose-gc lib/worker.js    Temporal worker (the default)
#   node lib/starter.js   SQS -> Temporal bridge
#   node lib/cli.js ...   operator commands (`setup` migrates the database and creates the AWS resources)
# docker-compose.yml runs all three from this image.

# --- build: compile TypeScript and the workflow bundle with the dev dependencies -----------------
FROM node:20-bookworm-slim AS build
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
FROM node:20-bookworm-slim
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

# --expose-gc: a large email's parse collects its buffers at once.
CMD ["node", "--expose-gc", "lib/worker.js"]
