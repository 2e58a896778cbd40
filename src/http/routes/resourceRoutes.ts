import { z } from 'zod';
import { type Aggregate, type AggregateResource, aggregateResource } from '../../aggregate/index.js';
import { ChronicleError } from '../../errors/index.js';
import { timeOrderedId } from '../../messages/index.js';
import { aggregateStateAt } from '../../queries/index.js';
import type { ApiContext } from '../apiContext.js';
import type { Principal } from '../auth/index.js';
import { inputSchema } from '../openapi/jsonSchema.js';
import { type ApiRoute, defineRoute, type RouteResult } from '../route.js';
import { withActivePaths } from './aggregateRoutes.js';
import { sendCommand } from './commandRoutes.js';
import { queryAnswer } from './queryAnswer.js';
import { AggregateId, Flag } from './schemas.js';

const IdParams = z.strictObject({ id: AggregateId });

/** An aggregate's resource: what defineAggregate worked out, or the defaults for one made by hand. */
const resourceOf = (aggregate: Aggregate): AggregateResource =>
  aggregate.resource ?? aggregateResource(aggregate.type, aggregate.machine, Object.keys(aggregate.commands));

/** The first path segment of each route under /v1 (`commands`, `events`, …): no plural may take one. */
const segmentsOf = (routes: readonly ApiRoute[]): Set<string> =>
  new Set(routes.map((route) => route.url.split('/')[2] ?? '').filter((segment) => !segment.startsWith(':')));

const sendAs = (
  ctx: ApiContext,
  principal: Principal | undefined,
  command: { aggregateType: string; aggregateId: string; type: string; payload: unknown },
  query: { wait?: boolean | undefined; timeoutMs?: number | undefined },
): Promise<RouteResult> =>
  sendCommand(
    ctx,
    principal,
    command,
    query.wait ?? true,
    query.timeoutMs ?? ctx.settings.commandWait.defaultMs,
  );

/** The answer to a creating command, naming the new aggregate: 201 and its Location once accepted. */
const created = (answer: RouteResult, plural: string, id: string): RouteResult => {
  if (answer.status !== 200 && answer.status !== 202) return answer;
  const body = { id, ...(answer.body as Record<string, unknown>) };
  if (answer.status === 202) return { ...answer, body };
  return { status: 201, body, headers: { location: `/v1/${plural}/${encodeURIComponent(id)}` } };
};

const routesOf = (ctx: ApiContext, aggregate: Aggregate, resource: AggregateResource): ApiRoute[] => {
  const { plural } = resource;
  const tag = plural;
  const Wait = z.strictObject({
    /** Default true: answer with the result; false answers 202 as soon as it is queued. */
    wait: Flag.optional(),
    timeoutMs: z.coerce.number().int().min(1).max(ctx.settings.commandWait.maxMs).optional(),
  });
  const rejections = {
    202: 'queued (wait=false, or no answer within the wait): { commandId, status }, Location: its status',
    409: 'rejected by the aggregate state (INVALID_TRANSITION, CONCURRENCY, domain codes)',
    422: 'rejected: VALIDATION of the payload',
  };
  const routes: ApiRoute[] = [
    defineRoute({
      method: 'GET',
      url: `/v1/${plural}/:id`,
      access: 'read',
      tag,
      summary: `A ${aggregate.type}'s current state: state value, context, version`,
      params: IdParams,
      responses: { 200: 'its state and active state paths', 404: `no such ${aggregate.type}` },
      handler: async ({ params }) =>
        queryAnswer(
          await aggregateStateAt(ctx.store, ctx.registry, {
            aggregateType: aggregate.type,
            aggregateId: params.id,
          }),
          withActivePaths,
        ),
    }),
  ];
  const { creates } = resource;
  const creating = creates === undefined ? undefined : aggregate.commands[creates];
  if (creates !== undefined && creating) {
    routes.push(
      defineRoute({
        method: 'POST',
        url: `/v1/${plural}`,
        access: 'send',
        tag,
        summary: `${creates}: a new ${aggregate.type} with an id the server makes; the body is its payload`,
        query: Wait,
        openApiBody: () => inputSchema(creating.schema),
        responses: {
          201: '{ id, ...the accepted result with its events }, Location: the new one',
          ...rejections,
        },
        handler: async ({ query, request, principal }) => {
          const id = timeOrderedId();
          const command = {
            aggregateType: aggregate.type,
            aggregateId: id,
            type: creates,
            payload: request.body,
          };
          return created(await sendAs(ctx, principal, command, query), plural, id);
        },
      }),
    );
  }
  for (const [type, definition] of Object.entries(aggregate.commands)) {
    routes.push(
      defineRoute({
        method: 'POST',
        url: `/v1/${plural}/:id/${resource.commandPaths[type]}`,
        access: 'send',
        tag,
        summary: `${type} to a ${aggregate.type}; the body is its payload`,
        params: IdParams,
        query: Wait,
        openApiBody: () => inputSchema(definition.schema),
        responses: { 200: 'accepted: the result with the new events', ...rejections },
        handler: async ({ params, query, request, principal }) => {
          const command = {
            aggregateType: aggregate.type,
            aggregateId: params.id,
            type,
            payload: request.body,
          };
          return sendAs(ctx, principal, command, query);
        },
      }),
    );
  }
  return routes;
};

/**
 * Each aggregate as a resource: `GET /v1/<plural>/:id`, `POST /v1/<plural>` (its creating command,
 * a new id) and `POST /v1/<plural>/:id/<command>`, beside the generic `/v1/commands`. A plural that
 * another route's first segment (`commands`, `events`, …) or another aggregate already has is a
 * CONFIGURATION error; a read model's path (`orders`) may share it.
 */
export const resourceRoutes = (ctx: ApiContext, others: readonly ApiRoute[]): ApiRoute[] => {
  const readModels = new Set(ctx.readModels.map((model) => `/v1/${model.path}`));
  const reserved = segmentsOf(others.filter((route) => !readModels.has(route.url)));
  const taken = new Map([...reserved].map((segment) => [segment, 'the API']));
  return ctx.aggregates.flatMap((aggregate) => {
    const resource = resourceOf(aggregate);
    const owner = taken.get(resource.plural);
    if (owner !== undefined)
      throw new ChronicleError(
        'CONFIGURATION',
        `aggregate "${aggregate.type}": /v1/${resource.plural} is ${owner}'s; set resource.plural`,
      );
    taken.set(resource.plural, `aggregate "${aggregate.type}"`);
    return routesOf(ctx, aggregate, resource);
  });
};
