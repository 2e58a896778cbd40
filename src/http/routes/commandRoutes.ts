import { z } from 'zod';
import { answerAs, type CommandStatus, callerCommandId } from '../../commands/index.js';
import { isChronicleError } from '../../errors/index.js';
import {
  type CommandRequest,
  type CommandResult,
  type RejectedResult,
  timeOrderedId,
} from '../../messages/index.js';
import type { ApiContext } from '../apiContext.js';
import { canRead, canSend, type Principal } from '../auth/index.js';
import { HttpError } from '../httpError.js';
import { commandsOpenApiBody } from '../openapi/commandSchemas.js';
import { rejectionStatus } from '../rejectionStatus.js';
import { type ApiRoute, defineRoute, json, type RouteResult } from '../route.js';
import { AggregateId, AggregateType, CommandId, CommandType, Flag } from './schemas.js';

export const SendCommandBody = z.strictObject({
  aggregateType: AggregateType,
  aggregateId: AggregateId,
  type: CommandType,
  /** Checked against the command's own schema before anything is enqueued (422 VALIDATION). */
  payload: z.unknown().optional(),
  /** Idempotency key: the same id is the same command however often it is sent. */
  commandId: CommandId.optional(),
  correlationId: z.string().min(1).max(200).optional(),
  causationId: z.string().min(1).max(200).optional(),
});

type Rejection = Pick<RejectedResult, 'code' | 'message'> & {
  readonly commandId?: string;
  readonly details?: Readonly<Record<string, unknown>>;
};

const rejected = (result: Rejection): never => {
  throw new HttpError(rejectionStatus(result.code), result.code, result.message, {
    ...(result.commandId ? { commandId: result.commandId } : {}),
    ...result.details,
  });
};

const pending = (commandId: string): RouteResult =>
  json(202, { commandId, status: 'enqueued' }, { location: `/v1/commands/${commandId}` });

/** Sends a command the caller may send and answers as POST /v1/commands does (200, 202 or the rejection). */
export const sendCommand = async (
  ctx: ApiContext,
  principal: Principal | undefined,
  body: z.output<typeof SendCommandBody>,
  wait: boolean,
  timeoutMs: number,
): Promise<RouteResult> => {
  if (!principal || !canSend(principal, body.aggregateType)) {
    throw new HttpError(
      403,
      'FORBIDDEN',
      `${principal?.id ?? 'caller'} may not send commands to "${body.aggregateType}"`,
    );
  }
  // the id is fixed here, so a wait that times out can still name the command; an id the caller
  // chose is the caller's own (callerCommandId), answers name the command by it
  const seenAs = body.commandId ?? timeOrderedId();
  const commandId = body.commandId === undefined ? seenAs : callerCommandId(principal.id, body.commandId);
  const request: CommandRequest = {
    ...body,
    commandId,
    payload: body.payload === undefined ? {} : body.payload,
    issuedBy: principal.id,
  };
  const answer = (result: CommandResult): RouteResult => {
    const seen = answerAs(result, commandId, seenAs);
    return seen.status === 'accepted' ? json(200, seen) : rejected(seen);
  };
  if (!wait) {
    const enqueued = await ctx.client.send(request);
    return enqueued.status === 'enqueued' ? pending(seenAs) : answer(enqueued);
  }
  try {
    return answer(await ctx.client.send(request, { wait: true, timeoutMs }));
  } catch (error) {
    // no answer in time: the command stays queued; its status is at the Location
    if (isChronicleError(error, 'TIMEOUT')) return pending(seenAs);
    if (isChronicleError(error, 'COMMAND_FAILED'))
      throw new HttpError(500, 'COMMAND_FAILED', error.message.replaceAll(commandId, seenAs));
    throw error;
  }
};

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
    handler: async ({ body, query, principal }) =>
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
