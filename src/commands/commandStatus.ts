import type { Queue } from 'bullmq';
import { parseFailureReason } from '../errors/index.js';
import type { CommandEnvelope, CommandResult } from '../messages/index.js';
import { fullResult, type StoredResult } from './storedResult.js';

/** Who sent a known command (its envelope's `issuedBy`), when its sender named itself. */
type Issuer = { readonly issuedBy?: string };

export type CommandStatus =
  | ({ readonly status: 'queued' | 'running'; readonly commandId: string } & Issuer)
  | ({ readonly status: 'done'; readonly commandId: string; readonly result: CommandResult } & Issuer)
  | ({
      readonly status: 'failed';
      readonly commandId: string;
      /** A typed code and a short message (the detail is in the worker's log). */
      readonly code: string;
      readonly reason: string;
      readonly failedAt?: string;
    } & Issuer)
  | { readonly status: 'unknown'; readonly commandId: string };

/** A completed job's answer, whole again (the job keeps it trimmed: storedResult). */
export const finishedResult = (job: { returnvalue: unknown; data: unknown }): CommandResult =>
  fullResult(job.returnvalue as StoredResult, job.data as CommandEnvelope);

/** Looks a command up in the shard queues (a command id does not say which shard holds it). */
export const readCommandStatus = async (
  queues: readonly Queue[],
  commandId: string,
): Promise<CommandStatus> => {
  const states = await Promise.all(queues.map((queue) => queue.getJobState(commandId)));
  const index = states.findIndex((state) => state !== 'unknown');
  const state = states[index];
  const queue = queues[index];
  if (!queue || !state) return { status: 'unknown', commandId };
  // read after the state: a finished job's hash holds its result
  const job = await queue.getJob(commandId);
  if (!job) return { status: 'unknown', commandId };
  const { issuedBy } = job.data as CommandEnvelope;
  const issuer = issuedBy !== undefined ? { issuedBy } : {};
  if (state === 'active') return { status: 'running', commandId, ...issuer };
  if (state !== 'completed' && state !== 'failed') return { status: 'queued', commandId, ...issuer };
  if (state === 'completed') return { status: 'done', commandId, result: finishedResult(job), ...issuer };
  const { code, message } = parseFailureReason(job.failedReason ?? '');
  return {
    status: 'failed',
    commandId,
    ...issuer,
    code,
    reason: message,
    ...(job.finishedOn ? { failedAt: new Date(job.finishedOn).toISOString() } : {}),
  };
};
