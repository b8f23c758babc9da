# A gitswarm runner image: Node 22 slim, git and ssh, bubblewrap (the agents' sandbox: it needs user
# namespaces, see README "Fleet"), the compiled CLI. No secrets are baked in:
# API keys come from the environment (a Kubernetes Secret, a systemd EnvironmentFile), the hub's
# ssh key from a mounted file named by GIT_SSH_COMMAND.
FROM node:22-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The package builds on pack (prepack), not on install: npm ci needs only the manifest and lock.
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:22-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends git openssh-client ca-certificates bubblewrap \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/gitswarm
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/bin ./bin
RUN ln -s /opt/gitswarm/bin/gitswarm /usr/local/bin/gitswarm \
  && useradd --create-home --uid 10001 gitswarm
USER gitswarm
WORKDIR /work
# The workspace: a clone of the hub made at start (see deploy/kubernetes/runners.yaml).
ENTRYPOINT ["gitswarm"]
CMD ["run", "--repo", "/work/repo"]
