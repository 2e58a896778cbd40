# One image for every pod kind: `chronicle worker <kind>` picks what it runs.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json chronicle.config.ts ./
COPY src src
COPY actors actors
COPY workers workers
COPY migrations migrations
COPY otel otel
COPY chronicle.config.ts ./
COPY bin bin
# xstate and zod are the runtime's peers, pinned here as devDependencies: the sample domain (loaded
# from source by chronicle.config.ts) imports them, so they outlive the prune (neither has dependencies)
RUN npm ci && mkdir /peers && cp -r node_modules/xstate node_modules/zod /peers/ \
  && npm prune --omit=dev && cp -r /peers/xstate /peers/zod node_modules/

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
USER node
ENTRYPOINT ["node", "bin/chronicle.js"]
CMD ["worker", "command"]
