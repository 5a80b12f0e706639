# Wactorz add-on image, in two stages.
#
# Base image: Home Assistant's multi-arch Alpine base (s6-overlay v3, bashio). Since Supervisor
# 2026.04 build.yaml is deprecated and the base image default lives here; a Supervisor that
# still passes BUILD_FROM (per-architecture {arch}-base) overrides it with an equivalent image.
ARG BUILD_FROM=ghcr.io/home-assistant/base:3.24
# Same Alpine release as the base image, so the Node binary copied below finds the libstdc++
# it was built against.
ARG NODE_IMAGE=node:24-alpine3.24

# --- build: compile the panel, the server JavaScript and the native addons -------------------
FROM ${NODE_IMAGE} AS build
# Only used when better-sqlite3 or isolated-vm ship no prebuilt binary for this musl/arch.
RUN apk add --no-cache python3 make g++
WORKDIR /app

COPY package.json package-lock.json ./
# No install scripts: the `node` devDependency would download a glibc Node binary (the image
# has its own Node 24), and the native addons are built below, on their own.
RUN npm ci --ignore-scripts --no-audit --no-fund \
    && rm -rf node_modules/node node_modules/.bin/node \
    && npm rebuild better-sqlite3 isolated-vm

COPY . .
# The build also writes dist/edge-bundle.json, what /deploy sends to a node (the image has no
# TypeScript sources). prune-runtime.mjs then drops what production never reads (other platforms'
# native binaries, declarations, source maps, docs, tests); check:container runs the same script.
RUN npm run build \
    && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
    && node scripts/prune-runtime.mjs . \
    && mkdir -p recipes \
    && test ! -e node_modules/node \
    && test -f dist/server/main.js \
    && test -f dist/edge-bundle.json \
    && test -f panel/dist/index.html \
    && node --no-node-snapshot -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get(); new (require('isolated-vm').Isolate)({ memoryLimit: 8 }).dispose(); require('ssh2').utils.generateKeyPairSync('ed25519')"

# --- runtime: HA base image + Node 24 + the built application --------------------------------
FROM ${BUILD_FROM}
ARG BUILD_ARCH=amd64
ARG BUILD_VERSION=0.1.0

# Node is copied from the build stage (same Alpine/musl family); it needs the C++ runtime.
RUN apk add --no-cache libstdc++ libgcc curl
COPY --from=build /usr/local/bin/node /usr/local/bin/node

WORKDIR /opt/wactorz
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/panel/dist ./panel/dist
COPY --from=build /app/recipes ./recipes
# The companion HA integration (Python), copied into HA's custom_components by install_integration.
COPY --from=build /app/addon/integration/custom_components ./addon/integration/custom_components
# s6-overlay service definition: /etc/s6-overlay/s6-rc.d/wactorz/{run,finish}.
COPY addon/rootfs/ /
RUN chmod a+x /etc/s6-overlay/s6-rc.d/wactorz/run /etc/s6-overlay/s6-rc.d/wactorz/finish \
    && node --version

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl --fail --silent --show-error --max-time 4 http://127.0.0.1:8099/api/health > /dev/null || exit 1

LABEL \
    io.hass.type="addon" \
    io.hass.name="Wactorz" \
    io.hass.description="LLM multi-agent system: chat with your home, control devices, approve rules, run sandboxed live agents" \
    io.hass.version="${BUILD_VERSION}" \
    io.hass.arch="${BUILD_ARCH}" \
    org.opencontainers.image.title="Wactorz" \
    org.opencontainers.image.version="${BUILD_VERSION}" \
    org.opencontainers.image.licenses="MIT"
