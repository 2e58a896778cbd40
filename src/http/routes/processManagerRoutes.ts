import { processStateAt } from '../../queries/index.js';
import type { ApiContext } from '../apiContext.js';
import { notFound } from '../httpError.js';
import { type ApiRoute, defineRoute } from '../route.js';
import { StreamEventsQuery, streamEventsPage, withActivePaths } from './aggregateRoutes.js';
import { queryAnswer } from './queryAnswer.js';
import { StreamAtParams, StreamParams } from './schemas.js';

/**
 * Process-manager instances, read like aggregates: an instance is the stream (name, key), so its
 * state now, at a version, and its events (the inputs it handled, each with what it decided).
 */
export const processManagerRoutes = (ctx: ApiContext): ApiRoute[] => {
  const known = (name: string) => {
    if (!ctx.processManagers.some((processManager) => processManager.name === name))
      throw notFound(
        `no process manager "${name}"; known: ${ctx.processManagers.map((known) => known.name).join(', ')}`,
      );
  };
  const stateAt = async (params: { type: string; id: string }, version?: number) => {
    known(params.type);
    const result = await processStateAt(ctx.store, ctx.registry.schemas, ctx.processManagers, {
      processManager: params.type,
      key: params.id,
      version,
    });
    return queryAnswer(result, withActivePaths);
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/process-managers/:type/:id',
      access: 'read',
      tag: 'process-managers',
      summary: "A process-manager instance's current state: state value, context, pending deadlines, version",
      params: StreamParams,
      responses: { 200: 'its state and active state paths', 404: 'no such instance' },
      handler: async ({ params }) => stateAt(params),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/process-managers/:type/:id/at/:version',
      access: 'read',
      tag: 'process-managers',
      summary: 'Time travel: the instance right after event `version` of its stream',
      params: StreamAtParams,
      responses: { 200: 'its state at that version', 400: 'past the head version', 404: 'no such instance' },
      handler: async ({ params }) => stateAt(params, params.version),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/process-managers/:type/:id/events',
      access: 'read',
      tag: 'process-managers',
      summary: "An instance's events (`<Input>Handled`: the input and what it decided), from `fromVersion`",
      params: StreamParams,
      query: StreamEventsQuery,
      responses: { 200: '{ events, version }: version is the stream head', 404: 'no such instance' },
      handler: async ({ params, query }) => {
        known(params.type);
        return streamEventsPage(ctx, params, query);
      },
    }),
  ];
};
