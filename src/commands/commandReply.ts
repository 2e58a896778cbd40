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

export const parseReply = (message: string): CommandReply | undefined => {
  try {
    const reply = JSON.parse(message) as CommandReply;
    return typeof reply?.commandId === 'string' && typeof reply.shard === 'number' ? reply : undefined;
  } catch {
    return undefined;
  }
};
