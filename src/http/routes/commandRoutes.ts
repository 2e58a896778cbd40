import { z } from 'zod';
import { isChronicleError } from '../../errors/index.js';
import {
  type CommandRequest,
  type CommandResult,
  type RejectedResult,
  timeOrderedId,
} from '../../messages/index.js';
import type { ApiContext } from '../apiContext.js';
import { canSend, type Principal } from '../auth/index.js';
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

const answer = (result: CommandResult): RouteResult =>
  result.status === 'accepted' ? json(200, result) : rejected(result);

const send = async (
  ctx: ApiContext,
  principal: Principal,
  body: z.output<typeof SendCommandBody>,
  wait: boolean,
  timeoutMs: number,
) => {
  // the id is fixed here, so a wait that times out can still name the command
  const commandId = body.commandId ?? timeOrderedId();
  const request: CommandRequest = {
    ...body,
    commandId,
    payload: body.payload === undefined ? {} : body.payload,
    issuedBy: principal.id,
  };
  if (!wait) {
    const enqueued = await ctx.client.send(request);
    return enqueued.status === 'enqueued' ? pending(enqueued.commandId) : rejected(enqueued);
  }
  try {
    return answer(await ctx.client.send(request, { wait: true, timeoutMs }));
  } catch (error) {
    // no answer in time: the command stays queued; its status is at the Location
    if (isChronicleError(error, 'TIMEOUT')) return pending(commandId);
    if (isChronicleError(error, 'COMMAND_FAILED')) throw new HttpError(500, 'COMMAND_FAILED', error.message);
    throw error;
  }
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
    handler: async ({ body, query, principal }) => {
      if (!principal || !canSend(principal, body.aggregateType)) {
        throw new HttpError(
          403,
          'FORBIDDEN',
          `${principal?.id ?? 'caller'} may not send commands to "${body.aggregateType}"`,
        );
      }
      return send(
        ctx,
        principal,
        body,
        query.wait ?? false,
        query.timeoutMs ?? ctx.settings.commandWait.defaultMs,
      );
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/commands/:commandId',
    access: 'read-or-send',
    tag: 'commands',
    summary: "A command's status (queued, running, done with its result, failed) ",
    params: z.strictObject({ commandId: CommandId }),
    responses: { 200: 'its status', 404: 'no such command' },
    handler: async ({ params }) => {
      const status = await ctx.client.status(params.commandId);
      if (status.status !== 'unknown') return json(200, status);
      // the queue forgets completed jobs after a day; the command ledger keeps accepted results
      const stored = await ctx.store.findCommandResult(params.commandId);
      if (stored) return json(200, { status: 'done', commandId: params.commandId, result: stored });
      throw new HttpError(404, 'NOT_FOUND', `no command ${params.commandId}`);
    },
  }),
];
