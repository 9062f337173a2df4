# readcounter: one Node.js process, one LMDB store in /data. Deploying: docs/deploy.md.
#
#   docker build -t readcounter .
#   docker run -d --name readcounter -v readcounter-data:/data -p 8080:8080 \
#     -e ALLOWED_ORIGINS=https://blog.example.com readcounter

# The current Node.js LTS on Debian slim (glibc: lmdb and msgpackr ship prebuilt binaries for it,
# so neither stage needs a compiler).
ARG NODE_IMAGE=node:22-slim

# --- build: every dependency, then the TypeScript server and the browser bundles into dist/
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- runtime: production dependencies and dist/ only
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# `readcounter backup …` on the PATH, for `docker exec` and `fly ssh console`.
# /data is created here and owned by the unprivileged `node` user (uid 1000) that runs the
# server: a fresh Docker named volume copies this ownership, and Fly mounts its volume for the
# image's user, so the LMDB files are never root-owned or read-only.
RUN chmod 755 dist/server/cli.js \
 && ln -s /app/dist/server/cli.js /usr/local/bin/readcounter \
 && mkdir -p /data \
 && chown node:node /data
USER node
EXPOSE 8080
# Slim images have no curl: Node's own fetch asks /healthz (200 when the store is writable).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (docker stop, Fly's kill_signal). The
# server handles it: stops accepting, commits pending reads, closes sockets with 1001, closes
# LMDB, exits 0 within 5 s. It starts no child processes, so no init (tini, --init) is needed.
CMD ["node", "dist/server/main.js"]
