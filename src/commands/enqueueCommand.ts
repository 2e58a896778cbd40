import type { Queue } from 'bullmq';
import type { CompletedRetention } from '../config/index.js';
import { commandIdReused } from '../eventStore/index.js';
import { type CommandEnvelope, commandFingerprint } from '../messages/index.js';
import { commandJobOptions } from './jobOptions.js';

/** Whether a stored job is this send's command: what it asks, and who asks it. */
const sameCommand = (stored: CommandEnvelope, envelope: CommandEnvelope): boolean =>
  stored.issuedBy === envelope.issuedBy && commandFingerprint(stored) === commandFingerprint(envelope);

/**
 * Adds the job. A resend of a command id the caller chose may find it dead-lettered (failed): it
 * then runs again, so a careful client that resends after a failure gets another attempt (the
 * command ledger still answers a command that did commit with its first result). Only a resend:
 * the same command from the same issuer; a dead letter of anyone else's stays dead (an
 * operator's retry is an admin's), and this send is then refused by `reusedId`.
 */
export const enqueueCommand = async (
  queue: Queue,
  envelope: CommandEnvelope,
  chosenId: boolean,
  retention: CompletedRetention,
  personal: boolean,
) => {
  // only a job dead-lettered before this send is a resend to run again: checked before adding,
  // since a job that fails right after our add is this send's own answer, not a resend
  if (chosenId && (await queue.getJobState(envelope.commandId)) === 'failed') {
    const stored = await queue.getJob(envelope.commandId);
    if (stored && !sameCommand(stored.data as CommandEnvelope, envelope)) return;
    // another resend may have retried it first: then it is queued again, which is what we want
    await stored?.retry('failed').catch(async (error) => {
      if ((await queue.getJobState(envelope.commandId)) === 'failed') throw error;
    });
    return;
  }
  await queue.add(envelope.type, envelope, commandJobOptions(envelope.commandId, retention, personal));
};

/**
 * An id given by the sender may already name a job of this queue (BullMQ then keeps the first
 * and enqueues nothing): if that job asked something else, this command is refused rather than
 * answered with the other's result. Other shards' commands are caught by the ledger.
 */
export const reusedId = async (queue: Queue, envelope: CommandEnvelope) => {
  const stored = await queue.getJob(envelope.commandId);
  if (!stored) return undefined;
  return sameCommand(stored.data as CommandEnvelope, envelope) ? undefined : commandIdReused(envelope);
};
