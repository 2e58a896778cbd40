import { z } from 'zod';
import { answerAs, type CommandClient, callerCommandId, type Enqueued } from '../commands/index.js';
import { isChronicleError } from '../errors/index.js';
import { type CommandResult, type RejectedResult, timeOrderedId } from '../messages/index.js';

/** A command as a broker delivers it: the aggregate and command type come from its subject. */
export type IncomingCommand = {
  readonly aggregateType: string;
  readonly commandType: string;
  readonly body: Uint8Array;
  /** Answer with the result (as `send` with wait); false: answer once it is enqueued. */
  readonly wait: boolean;
};

/** The command ran into something no rejection describes (its job failed, Redis is away). */
export type CommandFailure = {
  readonly status: 'failed';
  readonly code: 'COMMAND_FAILED' | 'UNAVAILABLE';
  readonly commandId?: string;
  readonly message: string;
};

/**
 * What the sender gets back: the command's result, `enqueued` (it asked not to wait, or no answer
 * came within the wait: the command stays queued), or a failure.
 */
export type CommandReply = CommandResult | Enqueued | CommandFailure;

/** The body of a command message; ids are checked by the client as for every other sender. */
export const CommandMessageBody = z.strictObject({
  aggregateId: z.string(),
  payload: z.unknown().optional(),
  commandId: z.string().optional(),
  correlationId: z.string().optional(),
  causationId: z.string().optional(),
});

const malformed = (message: string): RejectedResult => ({
  status: 'rejected',
  commandId: '',
  code: 'VALIDATION',
  message,
});

const parseBody = (body: Uint8Array): z.output<typeof CommandMessageBody> | RejectedResult => {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    return malformed(`body: not JSON (${(error as Error).message})`);
  }
  const parsed = CommandMessageBody.safeParse(json);
  if (parsed.success) return parsed.data;
  return {
    ...malformed(
      `body: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}`,
    ),
    details: { issues: parsed.error.issues },
  };
};

/**
 * The broker side of `send`: reads the body, sends the command through the client (the same
 * checks and typed rejections as over HTTP) and says what to answer. Never throws.
 */
export const answerCommand = async (
  client: CommandClient,
  incoming: IncomingCommand,
  options: { readonly waitMs: number; readonly issuedBy: string },
): Promise<CommandReply> => {
  const body = parseBody(incoming.body);
  if ('status' in body) return body;
  // the id is fixed here, so a wait that times out can still name the command; an id the sender
  // chose is its principal's own (callerCommandId), and replies name the command by it
  const seenAs = body.commandId ?? timeOrderedId();
  const commandId = body.commandId === undefined ? seenAs : callerCommandId(options.issuedBy, body.commandId);
  const request = {
    commandId,
    aggregateType: incoming.aggregateType,
    type: incoming.commandType,
    aggregateId: body.aggregateId,
    // only a missing payload means none: null is a payload, and its schema judges it
    ...(body.payload === undefined ? {} : { payload: body.payload }),
    issuedBy: options.issuedBy,
    ...(body.correlationId !== undefined ? { correlationId: body.correlationId } : {}),
    ...(body.causationId !== undefined ? { causationId: body.causationId } : {}),
  };
  const reply = async (): Promise<CommandReply> => {
    try {
      if (!incoming.wait) return await client.send(request);
      return await client.send(request, { wait: true, timeoutMs: options.waitMs });
    } catch (error) {
      // no answer in time: the command stays queued, as HTTP's 202
      if (isChronicleError(error, 'TIMEOUT')) return { status: 'enqueued', commandId };
      if (isChronicleError(error, 'COMMAND_FAILED'))
        return { status: 'failed', code: 'COMMAND_FAILED', commandId, message: error.message };
      return { status: 'failed', code: 'UNAVAILABLE', commandId, message: (error as Error).message };
    }
  };
  return answerAs(await reply(), commandId, seenAs);
};
