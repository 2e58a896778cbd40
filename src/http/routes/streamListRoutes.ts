import { z } from 'zod';
import { findStreamsById, readRecentStreams } from '../../eventStore/index.js';
import type { ApiContext } from '../apiContext.js';
import { badRequest } from '../httpError.js';
import { type ApiRoute, defineRoute, json } from '../route.js';
import { AggregateId, AggregateType } from './schemas.js';

/**
 * The streams there are, for the UI's start page: the aggregates' and process-manager instances'
 * most recently appended to, newest first (per type, or merged across types), or those with an id.
 * Both are index walks bounded by the limit (and the number of types), whatever the store's size.
 */
export const streamListRoutes = (ctx: ApiContext): ApiRoute[] => {
  const processManagerNames = new Set(ctx.processManagers.map((processManager) => processManager.name));
  const allTypes = [...ctx.registry.types, ...processManagerNames];
  const typesFor = (type: string | undefined) => {
    if (type === undefined) return allTypes;
    if (!allTypes.includes(type))
      throw badRequest(
        `query: no aggregate type or process manager "${type}"; known: ${allTypes.join(', ')}`,
      );
    return [type];
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/streams',
      access: 'read',
      tag: 'aggregates',
      summary:
        "Aggregates' and process-manager instances' streams, most recently appended to first (`type`: of one type), or those with the id `id`",
      query: z.strictObject({
        type: AggregateType.optional(),
        id: AggregateId.optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
      responses: { 200: '{ streams: [{ kind, type, id, version, updatedAt }] }', 400: 'an unknown type' },
      handler: async ({ query }) => {
        const types = typesFor(query.type);
        const found =
          query.id === undefined
            ? await readRecentStreams(ctx.knex, types, query.limit)
            : await findStreamsById(ctx.knex, types, query.id);
        return json(200, {
          streams: found.map((stream) => ({
            kind: processManagerNames.has(stream.streamType) ? 'process-manager' : 'aggregate',
            type: stream.streamType,
            id: stream.streamId,
            version: stream.version,
            updatedAt: stream.updatedAt,
          })),
        });
      },
    }),
  ];
};
