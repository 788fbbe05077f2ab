# syntax=docker/dockerfile:1
# mlgate image: one image, three roles (worker, gateway, server), chosen by the command.
# Node 20 on purpose: better-sqlite3 12 is the line that works on it (13 crashes on Node 20).

# --- dependencies -----------------------------------------------------------------------------
FROM node:20.20.2-bookworm-slim AS deps
WORKDIR /app
# Compilers only for the fallback: better-sqlite3 downloads a prebuilt binary, and builds from
# source with node-gyp when it cannot (no network, unusual architecture).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Runtime dependencies only; tsx (which runs the TypeScript CLI) is one of them. The packages
# whose install scripts must run (better-sqlite3, esbuild, @swc/core, protobufjs) are approved
# in package.json "allowScripts", which npm versions that gate install scripts honour; the npm
# bundled with this image runs them anyway.
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# --- runtime ----------------------------------------------------------------------------------
FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY examples ./examples
# The code stays owned by root and read-only to the process. /data is created here, owned by the
# unprivileged user, so a fresh named volume mounted on it inherits that ownership.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
ENTRYPOINT ["node", "bin/mlgate.js"]
CMD ["--help"]
