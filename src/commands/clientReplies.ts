import type { Queue } from 'bullmq';
import type { RedisConnection } from '../services/index.js';
import type { CommandReply } from './commandReply.js';
import { finishedResult } from './commandStatus.js';
import type { ConnectionErrorReporter } from './connectionErrorReporter.js';
import { ReplyListener } from './replyListener.js';

/**
 * Answers come on this client's own reply channel, subscribed on first use: the worker that
 * finishes a command publishes its answer there, so a client reads its own answers and nobody
 * else's (a shard's QueueEvents stream carries every job's every event).
 */
export const lazyReplies = (
  connection: RedisConnection,
  watch: ConnectionErrorReporter['watch'],
  channel: string,
  queue: (shard: number) => Queue,
) => {
  let listening: Promise<ReplyListener> | undefined;
  const listener = () => {
    listening ??= ReplyListener.start(watch(connection.duplicate()), channel, (commandId, shard) =>
      readReply(queue(shard), commandId, shard),
    ).catch((error) => {
      listening = undefined; // the next send subscribes again
      throw error;
    });
    return listening;
  };
  return {
    channel,
    listener,
    /** Once a subscription begun is done (or failed): the order of the sends made meanwhile. */
    settled: async () => {
      if (listening) await listening.catch(() => {});
    },
    close: async () => (await listening)?.close(),
  };
};

/** A finished job's answer, read from its queue: for replies that may have gone unheard. */
const readReply = async (
  queue: Queue,
  commandId: string,
  shard: number,
): Promise<CommandReply | undefined> => {
  const state = await queue.getJobState(commandId);
  if (state !== 'completed' && state !== 'failed') return undefined;
  const job = await queue.getJob(commandId);
  if (!job) return undefined;
  return state === 'completed'
    ? { status: 'completed', shard, commandId, result: finishedResult(job) }
    : { status: 'failed', shard, commandId, reason: job.failedReason };
};
