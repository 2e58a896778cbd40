import { z } from 'zod';
import {
  findProjection,
  type PartitionStatus,
  projectionStatus,
  type RebuildResult,
  rebuildProjection,
  retryProjection,
  subscriptionStatus,
} from '../../projections/index.js';
import { readLiveReleases } from '../../releases/index.js';
import type { ApiContext } from '../apiContext.js';
import { HttpError, notFound } from '../httpError.js';
import { type ApiRoute, defineRoute, json } from '../route.js';
import { Flag, ProjectionName } from './schemas.js';
import { nameWaitingReaders } from './waitingReaders.js';

const severity = ['not-started', 'running', 'waiting', 'unowned', 'retrying', 'failed'] as const;

/**
 * One entry per projection, then per other subscription (the NATS outbox, kind `subscription`: it
 * has no read model to rebuild): its partitions, total lag, and its worst partition state.
 */
const summarise = (
  entry: {
    readonly name: string;
    readonly events: readonly string[] | null;
    readonly kind: 'projection' | 'subscription';
  },
  partitions: readonly PartitionStatus[],
  rebuilding: boolean,
) => ({
  ...entry,
  state: partitions.reduce<(typeof severity)[number]>(
    (worst, p) => (severity.indexOf(p.state) > severity.indexOf(worst) ? p.state : worst),
    'not-started',
  ),
  lag: {
    events: partitions.reduce((sum, p) => sum + p.lag.events, 0),
    seconds: Math.max(0, ...partitions.map((p) => p.lag.seconds)),
    estimated: partitions.some((p) => p.lag.estimated),
  },
  rebuilding,
  partitions,
});

/** Names the running releases that read each waited-at event, when Redis answers (else as stored). */
const namingReaders = async (ctx: ApiContext, statuses: PartitionStatus[]): Promise<PartitionStatus[]> => {
  if (!statuses.some((status) => status.state === 'waiting')) return statuses;
  const live = await readLiveReleases(ctx.redis, ctx.config.queuePrefix).catch(() => undefined);
  return live ? nameWaitingReaders(statuses, live) : statuses;
};

const rebuildStatus = (result: RebuildResult): number => {
  switch (result.status) {
    case 'rebuilt':
    case 'reset':
      return 200;
    case 'busy':
      return 409;
    case 'failed':
      return 500;
    default:
      return result satisfies never;
  }
};

export const projectionRoutes = (ctx: ApiContext): ApiRoute[] => {
  // rebuilds started by this pod; another pod's shows up as `busy`
  const rebuilds = new Map<string, Promise<RebuildResult>>();
  const find = (name: string) => {
    const projection = findProjection(ctx.projections, name);
    if (!projection) throw notFound(`no projection "${name}"`);
    return projection;
  };
  const NameParams = z.strictObject({ name: ProjectionName });
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/projections',
      access: 'read',
      tag: 'projections',
      summary:
        'Every projection, then the other subscriptions (the NATS outbox): state, lag, partitions, last error',
      responses: { 200: '{ projections: [...] }' },
      handler: async () => {
        const statuses = await namingReaders(
          ctx,
          await projectionStatus(ctx.knex, ctx.registry.schemas, ctx.projections),
        );
        const projections = ctx.projections.map((projection) =>
          summarise(
            { name: projection.name, events: projection.events, kind: 'projection' },
            statuses.filter((s) => s.name === projection.name),
            rebuilds.has(projection.name),
          ),
        );
        const others = await Promise.all(
          ctx.subscriptions.map(async (outline) =>
            summarise(
              { name: outline.name, events: outline.filter.eventTypes ?? null, kind: 'subscription' },
              await namingReaders(
                ctx,
                await subscriptionStatus(
                  ctx.knex,
                  ctx.registry.schemas,
                  outline.name,
                  outline.filter,
                  outline.partitions,
                  { optional: true },
                ),
              ),
              false,
            ),
          ),
        );
        projections.push(...others);
        return json(200, { projections });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/projections/:name/rebuild',
      access: 'admin',
      tag: 'projections',
      summary: 'Rebuild a projection (reset + replay); runs in the background unless ?wait=true',
      params: NameParams,
      query: z.strictObject({ wait: Flag.optional() }),
      responses: {
        200: 'rebuilt (wait=true)',
        202: 'started',
        409: 'a rebuild is already running',
        500: 'the replay failed',
      },
      handler: async ({ params, query, request }) => {
        const projection = find(params.name);
        if (rebuilds.has(projection.name)) {
          throw new HttpError(409, 'REBUILD_RUNNING', `${projection.name} is being rebuilt by this pod`);
        }
        const running = rebuildProjection(ctx.knex, projection, {
          schemas: ctx.registry.schemas,
          logger: ctx.logger,
        }).finally(() => rebuilds.delete(projection.name));
        rebuilds.set(projection.name, running);
        if (!query.wait) {
          running.then(
            (result) => request.log.info({ result }, 'projection rebuild ended'),
            (error: unknown) =>
              request.log.error({ err: error, projection: projection.name }, 'projection rebuild failed'),
          );
          return json(202, { name: projection.name, status: 'started' });
        }
        const result = await running;
        const status = rebuildStatus(result);
        if (result.status === 'busy')
          throw new HttpError(409, 'REBUILD_RUNNING', `${result.name} is being rebuilt by ${result.owner}`);
        if (result.status === 'failed') throw new HttpError(500, 'REBUILD_FAILED', result.error.message);
        return json(status, result);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/projections/:name/retry',
      access: 'admin',
      tag: 'projections',
      summary: "Put a projection's (or the outbox's) stopped partitions back to work",
      params: NameParams,
      responses: { 200: '{ status: resumed | nothing-failed }', 404: 'no such projection' },
      handler: async ({ params }) => {
        const name =
          ctx.subscriptions.find((outline) => outline.name === params.name)?.name ?? find(params.name).name;
        return json(200, await retryProjection(ctx.knex, name));
      },
    }),
  ];
};
