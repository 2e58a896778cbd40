import type { Queue } from 'bullmq';
import type { CommandResult } from '../messages/index.js';

export type CommandStatus =
  | { readonly status: 'queued' | 'running'; readonly commandId: string }
  | { readonly status: 'done'; readonly commandId: string; readonly result: CommandResult }
  | {
      readonly status: 'failed';
      readonly commandId: string;
      readonly reason: string;
      readonly failedAt?: string;
    }
  | { readonly status: 'unknown'; readonly commandId: string };

/** Looks a command up in the shard queues (a command id does not say which shard holds it). */
export const readCommandStatus = async (
  queues: readonly Queue[],
  commandId: string,
): Promise<CommandStatus> => {
  const jobs = await Promise.all(queues.map((queue) => queue.getJob(commandId)));
  const job = jobs.find((found) => found !== undefined);
  if (!job) return { status: 'unknown', commandId };
  const state = await job.getState();
  if (state === 'completed') return { status: 'done', commandId, result: job.returnvalue as CommandResult };
  if (state === 'failed') {
    return {
      status: 'failed',
      commandId,
      reason: job.failedReason,
      ...(job.finishedOn ? { failedAt: new Date(job.finishedOn).toISOString() } : {}),
    };
  }
  if (state === 'active') return { status: 'running', commandId };
  return { status: 'queued', commandId };
};
