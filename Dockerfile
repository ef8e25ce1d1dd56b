# syntax=docker/dockerfile:1
#
# One image for every Vigil process. The default command starts the API; docker-compose runs the
# worker from the same image with `node --max-old-space-size=512 --require tsx/cjs apps/worker/src/main.ts`.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# The lockfile and the package.json "allowScripts" policy come from npm 11; the npm bundled with
# Node 20 is 10.x, which ignores that policy and runs every dependency install script.
ARG NPM_VERSION=11.19.1
RUN npm install --global "npm@${NPM_VERSION}" --no-audit --no-fund
WORKDIR /app

# Manifests first so the dependency layer is reused until they change.
# Add a line here for every new workspace under apps/ or packages/.
COPY package.json package-lock.json ./
COPY apps/admin/package.json apps/admin/package.json
COPY apps/api/package.json apps/api/package.json
COPY apps/worker/package.json apps/worker/package.json
COPY packages/domains/package.json packages/domains/package.json
COPY packages/kernel/package.json packages/kernel/package.json
COPY packages/stack/package.json packages/stack/package.json
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

COPY . .
# Prebuilds the Temporal workflow bundle (dist/workflow-bundle.js) so the worker does not bundle at start-up.
RUN npm run build && test -s dist/workflow-bundle.js
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
WORKDIR /app
# Owned by root and only readable by the runtime user: the app cannot modify its own code.
COPY --from=build /app /app
USER node
EXPOSE 3000
CMD ["npx", "tsx", "apps/api/src/main.ts"]
