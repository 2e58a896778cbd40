import { z } from 'zod';
import { answerAs, callerCommandId } from '../commands/index.js';
import { isChronicleError } from '../errors/index.js';
import {
  type AcceptedResult,
  type CommandRequest,
  type CommandResult,
  type RejectedResult,
  timeOrderedId,
} from '../messages/index.js';
import type { ApiContext } from './apiContext.js';
import { canSend, type Principal } from './auth/index.js';
import { HttpError } from './httpError.js';
import { AggregateId, AggregateType, CommandId, CommandType } from './routes/schemas.js';

/** A command as a caller of the API sends it (HTTP body, gRPC message). */
export const SendCommandBody = z.strictObject({
  aggregateType: AggregateType,
  aggregateId: AggregateId,
  type: CommandType,
  /** Checked against the command's own schema before anything is enqueued (VALIDATION). */
  payload: z.unknown().optional(),
  /** Idempotency key: the same id is the same command however often it is sent. */
  commandId: CommandId.optional(),
  correlationId: z.string().min(1).max(200).optional(),
  causationId: z.string().min(1).max(200).optional(),
});

export type SendCommandInput = z.output<typeof SendCommandBody>;

export type SendRejection = Pick<RejectedResult, 'code' | 'message'> & {
  readonly commandId?: string;
  readonly details?: Readonly<Record<string, unknown>>;
};

/** What the API answers a caller's command with, whatever the transport; each names it by the caller's id. */
export type SendOutcome =
  | { readonly status: 'accepted'; readonly result: AcceptedResult }
  /** Queued, no answer yet: no wait was asked for, or it ended first. */
  | { readonly status: 'enqueued'; readonly commandId: string }
  | { readonly status: 'rejected'; readonly rejection: SendRejection };

/** The principal, if it may send to `aggregateType`; else 403 FORBIDDEN. */
export const senderOf = (principal: Principal | undefined, aggregateType: string): Principal => {
  if (principal && canSend(principal, aggregateType)) return principal;
  throw new HttpError(
    403,
    'FORBIDDEN',
    `${principal?.id ?? 'caller'} may not send commands to "${aggregateType}"`,
  );
};

/**
 * Sends a caller's command through the pod's client: the id is fixed here, so a wait that times
 * out can still name the command, and an id the caller chose is the caller's own (callerCommandId).
 * A dead letter while waiting is thrown as 500 COMMAND_FAILED.
 */
export const sendAsCaller = async (
  ctx: ApiContext,
  principal: Principal,
  body: SendCommandInput,
  wait: boolean,
  timeoutMs: number,
): Promise<SendOutcome> => {
  const seenAs = body.commandId ?? timeOrderedId();
  const commandId = body.commandId === undefined ? seenAs : callerCommandId(principal.id, body.commandId);
  const request: CommandRequest = {
    ...body,
    commandId,
    payload: body.payload === undefined ? {} : body.payload,
    issuedBy: principal.id,
  };
  const answer = (result: CommandResult): SendOutcome => {
    const seen = answerAs(result, commandId, seenAs);
    return seen.status === 'accepted'
      ? { status: 'accepted', result: seen }
      : { status: 'rejected', rejection: seen };
  };
  if (!wait) {
    const enqueued = await ctx.client.send(request);
    return enqueued.status === 'enqueued' ? { status: 'enqueued', commandId: seenAs } : answer(enqueued);
  }
  try {
    return answer(await ctx.client.send(request, { wait: true, timeoutMs }));
  } catch (error) {
    // no answer in time: the command stays queued
    if (isChronicleError(error, 'TIMEOUT')) return { status: 'enqueued', commandId: seenAs };
    if (isChronicleError(error, 'COMMAND_FAILED'))
      throw new HttpError(500, 'COMMAND_FAILED', error.message.replaceAll(commandId, seenAs));
    throw error;
  }
};
