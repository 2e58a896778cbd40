import type { StateValue } from 'xstate';
import { z } from 'zod';
import { activeStatePaths } from '../../machines/index.js';
import { aggregateStateAt, EventFeedQuery, eventFeed, IsoTime } from '../../queries/index.js';
import { snapshotTargets } from '../../snapshots/index.js';
import type { ApiContext } from '../apiContext.js';
import { notFound } from '../httpError.js';
import { type ApiRoute, defineRoute, json } from '../route.js';
import { queryAnswer } from './queryAnswer.js';
import { AggregateType, StreamAtParams, StreamParams } from './schemas.js';

/** The state as the visualiser wants it: with the active state paths (leaves last) to light. */
export const withActivePaths = <State extends { readonly value: StateValue }>(state: State) => ({
  ...state,
  activePaths: activeStatePaths(state.value),
});

/** The last version a stream can have: es_events.version is a PostgreSQL integer. */
const LAST_VERSION = 2_147_483_647;

/** A page of one stream's events, from `fromVersion`. */
export const StreamEventsQuery = z.strictObject({
  fromVersion: z.coerce.number().int().min(1).max(LAST_VERSION).default(1),
  limit: z.coerce.number().int().min(1).max(1_000).default(1_000),
});

/** `{ aggregateType, aggregateId, version, events }` of a stream (an aggregate's or a process manager's). */
export const readStreamPage = async (
  ctx: ApiContext,
  params: { readonly type: string; readonly id: string },
  query: z.output<typeof StreamEventsQuery>,
) => {
  const stream = { streamType: params.type, streamId: params.id };
  const version = await ctx.store.streamVersion(stream);
  if (version === 0) throw notFound(`${params.type}/${params.id} has no events`);
  const events = await ctx.store.readStream(stream, {
    afterVersion: query.fromVersion - 1,
    // a page that would end past the last version ends at it (the sum would overflow the column)
    toVersion: Math.min(query.fromVersion - 1 + query.limit, LAST_VERSION),
  });
  return { aggregateType: params.type, aggregateId: params.id, version, events };
};

export const streamEventsPage = async (
  ctx: ApiContext,
  params: { readonly type: string; readonly id: string },
  query: z.output<typeof StreamEventsQuery>,
) => json(200, await readStreamPage(ctx, params, query));

/** 404 NOT_FOUND naming the known types, for a type the deployment does not have. */
export const knownType = (ctx: ApiContext, type: string) => {
  if (!ctx.registry.find(type))
    throw notFound(`no aggregate type "${type}"; known: ${ctx.registry.types.join(', ')}`);
};

export const aggregateRoutes = (ctx: ApiContext): ApiRoute[] => [
  defineRoute({
    method: 'GET',
    url: '/v1/aggregates/:type/:id',
    access: 'read',
    tag: 'aggregates',
    summary: "An aggregate's current state: state value, context, version",
    params: StreamParams,
    responses: { 200: 'its state and active state paths', 404: 'no such aggregate' },
    handler: async ({ params }) => {
      knownType(ctx, params.type);
      const result = await aggregateStateAt(ctx.store, ctx.registry, {
        aggregateType: params.type,
        aggregateId: params.id,
      });
      return queryAnswer(result, withActivePaths);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/aggregates/:type/:id/at/:version',
    access: 'read',
    tag: 'aggregates',
    summary: 'Time travel: the state right after event `version`',
    params: StreamAtParams,
    responses: { 200: 'its state at that version', 400: 'past the head version', 404: 'no such aggregate' },
    handler: async ({ params }) => {
      knownType(ctx, params.type);
      const result = await aggregateStateAt(ctx.store, ctx.registry, {
        aggregateType: params.type,
        aggregateId: params.id,
        version: params.version,
      });
      return queryAnswer(result, withActivePaths);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/aggregates/:type/:id/at',
    access: 'read',
    tag: 'aggregates',
    summary:
      'Time travel by time: the state after the last event recorded at or before `time` (ISO 8601 with offset, e.g. 2026-11-29T10:00:00Z)',
    params: StreamParams,
    // a bad query parameter is 400 INVALID_REQUEST naming it, as on every route
    query: z.strictObject({
      time: IsoTime.describe('ISO 8601 date-time with offset, e.g. 2026-11-29T10:00:00Z'),
    }),
    responses: {
      200: 'its state then, with the version it stood at',
      400: 'time is missing or not an ISO 8601 date-time with offset (INVALID_REQUEST)',
      404: 'no such aggregate, or it had no events yet at that time',
    },
    handler: async ({ params, query }) => {
      knownType(ctx, params.type);
      const result = await aggregateStateAt(ctx.store, ctx.registry, {
        aggregateType: params.type,
        aggregateId: params.id,
        time: query.time,
      });
      return queryAnswer(result, withActivePaths);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/aggregates/:type/:id/events',
    access: 'read',
    tag: 'aggregates',
    summary: "An aggregate's events in version order, from `fromVersion`",
    params: StreamParams,
    query: StreamEventsQuery,
    responses: { 200: '{ events, version }: version is the stream head', 404: 'no such aggregate' },
    handler: async ({ params, query }) => {
      knownType(ctx, params.type);
      return streamEventsPage(ctx, params, query);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/snapshots/:type/:id',
    access: 'read',
    tag: 'aggregates',
    summary:
      "An aggregate's (or a process-manager instance's) snapshots: the latest, and in `snapshots` every one kept, newest first",
    params: StreamParams,
    responses: {
      200: 'the latest snapshot and `snapshots` (CHRONICLE_SNAPSHOT_HISTORY of them at most); `current`: this machine version can use it',
      404: 'none',
    },
    handler: async ({ params }) => {
      const target = snapshotTargets(ctx.registry, ctx.processManagers).get(params.type);
      if (!target) throw notFound(`no aggregate type or process manager "${params.type}"`);
      const kept = await ctx.store.readSnapshots({ streamType: params.type, streamId: params.id });
      const snapshots = kept.map((snapshot) => ({
        ...snapshot,
        current: snapshot.machineHash === target.machineHash,
      }));
      const [latest] = snapshots;
      if (!latest) throw notFound(`no snapshot of ${params.type}/${params.id}`);
      return json(200, { ...latest, snapshots });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/events',
    access: 'read',
    tag: 'events',
    summary: 'The global event feed, in commit-safe order; page with `after` = the previous `next`',
    query: EventFeedQuery.extend({ aggregateType: AggregateType.optional() }),
    responses: { 200: '{ events, next }' },
    handler: async ({ query }) => queryAnswer(await eventFeed(ctx.knex, ctx.registry.schemas, query)),
  }),
];
