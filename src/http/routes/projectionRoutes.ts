import { z } from 'zod';
import {
  findProjection,
  type PartitionStatus,
  type Projection,
  projectionStatus,
  type RebuildResult,
  rebuildProjection,
  retryProjection,
} from '../../projections/index.js';
import type { ApiContext } from '../apiContext.js';
import { HttpError, notFound } from '../httpError.js';
import { type ApiRoute, defineRoute, json } from '../route.js';
import { Flag, ProjectionName } from './schemas.js';

const severity = ['running', 'unowned', 'retrying', 'failed'] as const;

/** One entry per projection: its partitions, total lag, and its worst partition state. */
const summarise = (projection: Projection, partitions: readonly PartitionStatus[], rebuilding: boolean) => ({
  name: projection.name,
  events: projection.events,
  state: partitions.reduce<(typeof severity)[number]>(
    (worst, p) => (severity.indexOf(p.state) > severity.indexOf(worst) ? p.state : worst),
    'running',
  ),
  lag: {
    events: partitions.reduce((sum, p) => sum + p.lag.events, 0),
    seconds: Math.max(0, ...partitions.map((p) => p.lag.seconds)),
  },
  rebuilding,
  partitions,
});

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
      summary: 'Every projection: state, lag (events and seconds), partitions, last error',
      responses: { 200: '{ projections: [...] }' },
      handler: async () => {
        const statuses = await projectionStatus(ctx.knex, ctx.projections);
        const projections = ctx.projections.map((projection) =>
          summarise(
            projection,
            statuses.filter((s) => s.name === projection.name),
            rebuilds.has(projection.name),
          ),
        );
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
        const running = rebuildProjection(ctx.knex, projection, { logger: ctx.logger }).finally(() =>
          rebuilds.delete(projection.name),
        );
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
      summary: "Put a projection's stopped partitions back to work",
      params: NameParams,
      responses: { 200: '{ status: resumed | nothing-failed }', 404: 'no such projection' },
      handler: async ({ params }) => json(200, await retryProjection(ctx.knex, find(params.name).name)),
    }),
  ];
};
