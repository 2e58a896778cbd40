import { z } from 'zod';
import { answerAs, type CommandStatus, callerCommandId } from '../../commands/index.js';
import type { ApiContext } from '../apiContext.js';
import { canRead, type Principal } from '../auth/index.js';
import { HttpError } from '../httpError.js';
import { commandsOpenApiBody } from '../openapi/commandSchemas.js';
import { rejectionStatus } from '../rejectionStatus.js';
import { type ApiRoute, defineRoute, json, type RouteResult } from '../route.js';
import {
  SendCommandBody,
  type SendOutcome,
  type SendRejection,
  sendAsCaller,
  senderOf,
} from '../sendCommand.js';
import { CommandId, Flag } from './schemas.js';

const rejected = (rejection: SendRejection): never => {
  throw new HttpError(rejectionStatus(rejection.code), rejection.code, rejection.message, {
    ...(rejection.commandId ? { commandId: rejection.commandId } : {}),
    ...rejection.details,
  });
};

const asHttp = (outcome: SendOutcome): RouteResult => {
  switch (outcome.status) {
    case 'accepted':
      return json(200, outcome.result);
    case 'enqueued':
      return json(
        202,
        { commandId: outcome.commandId, status: 'enqueued' },
        { location: `/v1/commands/${outcome.commandId}` },
      );
    case 'rejected':
      return rejected(outcome.rejection);
    default:
      return outcome satisfies never;
  }
};

/** Sends a command the caller may send and answers as POST /v1/commands does (200, 202 or the rejection). */
export const sendCommand = async (
  ctx: ApiContext,
  principal: Principal | undefined,
  body: z.output<typeof SendCommandBody>,
  wait: boolean,
  timeoutMs: number,
): Promise<RouteResult> =>
  asHttp(await sendAsCaller(ctx, senderOf(principal, body.aggregateType), body, wait, timeoutMs));

/** A command's status from the shard queues, else (accepted or rejected) from the command ledger. */
const lookUp = async (ctx: ApiContext, commandId: string): Promise<CommandStatus> => {
  const status = await ctx.client.status(commandId);
  if (status.status !== 'unknown') return status;
  // the queue forgets completed jobs after a day; the command ledger keeps their results
  const stored = await ctx.store.findCommand(commandId);
  if (!stored) return status;
  return {
    status: 'done',
    commandId,
    result: stored.result,
    ...(stored.issuedBy !== undefined ? { issuedBy: stored.issuedBy } : {}),
  };
};

/**
 * The command the caller sent under `id` (callerCommandId); else the command that travels under
 * `id` (an id the API generated, one seen in events or a correlation), if the caller may read
 * every command or sent it. Another's command is a 404, as if there were none.
 */
const statusFor = async (ctx: ApiContext, principal: Principal, id: string): Promise<CommandStatus> => {
  const own = await lookUp(ctx, callerCommandId(principal.id, id));
  if (own.status !== 'unknown') {
    const seen = answerAs(own, own.commandId, id);
    return seen.status === 'done' ? { ...seen, result: answerAs(seen.result, own.commandId, id) } : seen;
  }
  const named = await lookUp(ctx, id);
  if (named.status === 'unknown' || canRead(principal) || named.issuedBy === principal.id) return named;
  return { status: 'unknown', commandId: id };
};

export const commandRoutes = (ctx: ApiContext): ApiRoute[] => [
  defineRoute({
    method: 'POST',
    url: '/v1/commands',
    access: 'send',
    tag: 'commands',
    summary: 'Send a command; with ?wait=true, wait for its result',
    body: SendCommandBody,
    query: z.strictObject({
      wait: Flag.optional(),
      /** Bounded by CHRONICLE_COMMAND_WAIT_MAX_MS. */
      timeoutMs: z.coerce.number().int().min(1).max(ctx.settings.commandWait.maxMs).optional(),
    }),
    openApiBody: () => commandsOpenApiBody(ctx.aggregates, SendCommandBody),
    responses: {
      200: 'accepted (wait=true): the result with the new events',
      202: 'enqueued (or no answer within the wait): { commandId, status }, Location: its status',
      409: 'rejected: the aggregate state does not allow it (INVALID_TRANSITION, CONCURRENCY, domain codes)',
      422: 'rejected: VALIDATION, UNKNOWN_AGGREGATE, UNKNOWN_COMMAND',
    },
    handler: ({ body, query, principal }) =>
      sendCommand(
        ctx,
        principal,
        body,
        query.wait ?? false,
        query.timeoutMs ?? ctx.settings.commandWait.defaultMs,
      ),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/commands/:commandId',
    access: 'read-or-send',
    tag: 'commands',
    summary: "A command's status (queued, running, done with its result, failed) ",
    params: z.strictObject({ commandId: CommandId }),
    responses: {
      200: 'its status',
      404: "no such command of the caller's (or, with `read`, of anyone's)",
    },
    handler: async ({ params, principal }) => {
      const status = principal
        ? await statusFor(ctx, principal, params.commandId)
        : ({ status: 'unknown', commandId: params.commandId } as const);
      if (status.status !== 'unknown') return json(200, status);
      throw new HttpError(404, 'NOT_FOUND', `no command ${params.commandId}`);
    },
  }),
];
