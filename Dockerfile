# The example application (examples/): one image for every role. ROLE=api runs the HTTP API,
# ROLE=worker a worker (WORKER_QUEUES, MAX_CONCURRENT_JOBS, WORKER_NAME), ROLE=both the two in one
# process; examples/config.ts lists every variable. docker-compose.yml runs the API and three
# workers from it.
#
#   docker build -t temporal-mediator-example .
#   docker run --rm -e ROLE=api -e TEMPORAL_ADDRESS=host.docker.internal:7233 -p 3000:3000 temporal-mediator-example
FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first, for the layer cache. Dev dependencies included: the example runs its
# TypeScript with tsx, and the worker bundles the workflow code (webpack + swc) at start-up.
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds dist/, which the example (run from source with tsx) does not need.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY examples ./examples

ENV NODE_ENV=production \
    ROLE=both \
    TEMPORAL_ADDRESS=temporal:7233 \
    PORT=3000 \
    HOST=0.0.0.0

USER node
EXPOSE 3000

# Node receives SIGTERM directly (no npm wrapper), so workers drain running handlers on `docker stop`.
CMD ["node", "--import", "tsx", "examples/main.ts"]
