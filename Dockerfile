# syntax=docker/dockerfile:1
#
# Stop Press: one image for the API and the worker.
#
#   docker build -t stoppress .
#   docker run ... stoppress                                          # API (default CMD), port 3000
#   docker run ... stoppress node --import tsx workers/main.ts       # worker
#   docker run ... stoppress node --import tsx scripts/editor.ts add alice --role admin
#
# The server runs its TypeScript directly with tsx (a runtime dependency); there is no server
# build step. Only the browser bundles are built, by Vite (a devDependency), in the `build` stage.
#
# Base: Debian bookworm-slim (glibc). The native packages in the lock file (esbuild under tsx,
# msgpackr-extract under BullMQ, rolldown and lightningcss under Vite) all ship glibc binaries for
# x64 and arm64, so `npm ci` needs no compiler. Alpine (musl) would probably work too, since the
# lock file lists musl builds for rolldown and lightningcss, but it is not what the project is
# developed and tested on.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
# deps: every dependency, devDependencies included (Vite is needed to build the client).
# NODE_ENV must NOT be "production" here: npm ci would then skip the devDependencies.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

# ---------------------------------------------------------------------------------------------
# build: the browser bundles into client/dist (Vite manifest in client/dist/.vite/manifest.json,
# which the API reads at startup). The client imports code from src/ (the event sequencer, the
# update renderer), so src/ is part of the build input.
FROM deps AS build
COPY tsconfig.json ./
COPY client ./client
COPY src ./src
RUN npm run build:client

# ---------------------------------------------------------------------------------------------
# prod-deps: production dependencies only (no Vite, Vitest, ESLint, TypeScript compiler...).
# tsx is a dependency, not a devDependency, so it is kept: the server needs it at run time.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# ---------------------------------------------------------------------------------------------
# runtime
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app

# Files stay owned by root and read-only for the process; it writes nowhere but /tmp (tsx keeps
# its transform cache in the OS temp folder) and the photo folder, /data/media (MEDIA_DIR in
# docker-compose.yml), a volume shared by the API nodes.
COPY --from=prod-deps /app/node_modules ./node_modules
# package.json: "type": "module" makes Node and tsx load src/**/*.ts as ES modules.
# tsconfig.json: tsx reads it (e.g. verbatimModuleSyntax), so the code runs as it does in development.
COPY package.json tsconfig.json ./
# src/ includes the Lua scripts (src/store/scripts/*.lua), read at startup.
COPY src ./src
COPY workers ./workers
# The editor CLI, to create the first admin token (docs/deployment.md).
COPY scripts/editor.ts ./scripts/editor.ts
# Served by the API and required at startup (src/http/pages/client-assets.ts resolves
# <app>/client/dist relative to its own file, so the folder layout must stay as in the repo).
COPY --from=build /app/client/dist ./client/dist

# The `node` user (uid 1000) comes with the official image. A new named volume mounted on
# /data/media takes this folder's owner, so the process can write photos there.
RUN mkdir -p /data/media && chown node:node /data/media
USER node

# The API's PORT (default 3000). The worker listens only on WORKER_METRICS_PORT, when set.
EXPOSE 3000

# Liveness of the API: /healthz answers 200 while the process serves HTTP (no Redis check; that is
# /readyz). fetch is built into Node 20, so the image needs no curl. A worker started from this
# image must override this check (docker-compose.yml does): it serves /healthz on
# WORKER_METRICS_PORT instead.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Node runs as PID 1 with no npm or tsx CLI in between, so SIGTERM reaches the app's own handler
# (src/shutdown.ts: graceful close within SHUTDOWN_TIMEOUT_MS, default 15 s). Give containers a
# stop timeout above that (docker-compose.yml: stop_grace_period 20s; Docker's default is 10 s).
CMD ["node", "--import", "tsx", "src/main.ts"]
