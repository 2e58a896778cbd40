import type { CommandResult } from '../messages/index.js';
import type { RedisConnection } from '../services/index.js';

/**
 * A finished command's answer, pushed to the client that waits for it. A job is its shard and its
 * command id: one id sent to two shards (a reuse, refused by the ledger) is two jobs, two answers.
 */
export type CommandReply = { readonly shard: number; readonly commandId: string } & (
  | { readonly status: 'completed'; readonly result: CommandResult }
  | { readonly status: 'failed'; readonly reason: string }
);

/** One channel per client instance: a client hears only its own commands' answers. */
export const replyChannel = (prefix: string, clientId: string) => `${prefix}:replies:${clientId}`;

/**
 * Publishes an answer on the channel the envelope names. Fire and forget: a reply nobody hears is
 * harmless (the answer stays in the job, and a client that lost its subscription reads it there).
 */
export const publishReply = (
  redis: RedisConnection,
  replyTo: string | undefined,
  reply: CommandReply,
): void => {
  if (!replyTo) return;
  redis.publish(replyTo, JSON.stringify(reply)).catch(() => {});
};

/**
 * Publishes a finished job's answer right behind its completion, without waiting for it: called as
 * the processor returns, it publishes on the next turn of the event loop, by which time the worker
 * has sent the job's completion (BullMQ sends it in the promise callbacks that follow the
 * processor's return) on this same connection. One Redis runs a connection's commands in order, so
 * a client that hears the answer finds the job completed, as when the answer waited for the
 * completion's reply, and the answer saves that round trip. Only on one Redis: a cluster may route
 * PUBLISH to another node than the queue's (there the worker answers on `completed`).
 */
export const publishReplyBehindCompletion = (
  redis: RedisConnection,
  replyTo: string | undefined,
  reply: CommandReply,
): void => {
  if (replyTo) setImmediate(() => publishReply(redis, replyTo, reply));
};

export const parseReply = (message: string): CommandReply | undefined => {
  try {
    const reply = JSON.parse(message) as CommandReply;
    return typeof reply?.commandId === 'string' && typeof reply.shard === 'number' ? reply : undefined;
  } catch {
    return undefined;
  }
};
