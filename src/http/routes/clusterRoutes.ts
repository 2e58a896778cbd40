import { clusterSubscriptions, readClusterView } from '../../cluster/index.js';
import type { ApiContext } from '../apiContext.js';
import { type ApiRoute, defineRoute, json } from '../route.js';

export const clusterRoutes = (ctx: ApiContext): ApiRoute[] => {
  const subscriptions = clusterSubscriptions({
    aggregateTypes: ctx.registry.types,
    projections: ctx.projections,
    processManagers: ctx.processManagers,
    others: ctx.subscriptions,
  });
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/cluster',
      access: 'read',
      tag: 'operations',
      summary:
        'The cluster now: every pod (live, stopped or gone), who works each command shard queue, who leases each partition and its lag',
      responses: { 200: '{ pods, shards, partitions }' },
      handler: async () =>
        json(
          200,
          await readClusterView({
            knex: ctx.knex,
            schemas: ctx.registry.schemas,
            queues: await ctx.shardQueues.all(),
            subscriptions,
          }),
        ),
    }),
  ];
};
