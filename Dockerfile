# One image for every pod kind: `chronicle worker <kind>` picks what it runs.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src src
COPY actors actors
COPY workers workers
COPY migrations migrations
COPY otel otel
COPY chronicle.config.ts ./
COPY bin bin
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
USER node
ENTRYPOINT ["node", "bin/chronicle.js"]
CMD ["worker", "command"]
