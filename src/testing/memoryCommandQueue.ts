import type { ActorHost } from '../actorHost/index.js';
import { buildEnvelope } from '../commands/index.js';
import { reusedCommandId } from '../eventStore/index.js';
import {
  type CommandEnvelope,
  type CommandRequest,
  type CommandResult,
  checkEnvelope,
  commandFingerprint,
} from '../messages/index.js';
import type { ProcessRuntime } from '../processManagers/index.js';
import type { TestClock } from './testClock.js';

type Job = { readonly envelope: CommandEnvelope; result?: CommandResult };

/**
 * The command pods' queue in memory: BullMQ's one job per command id, run in the order sent by
 * the same ActorHost a command pod uses.
 */
export const createMemoryCommandQueue = (host: ActorHost, clock: TestClock) => {
  const jobs = new Map<string, Job>();
  const queue: Job[] = [];

  const add = (envelope: CommandEnvelope): Job => {
    const job: Job = { envelope };
    jobs.set(envelope.commandId, job);
    return job;
  };

  const run = async (job: Job): Promise<CommandResult> => {
    try {
      job.result = await host.handle(job.envelope);
      return job.result;
    } catch (error) {
      // a failed job is a dead letter: a resend of its id runs it again, as the client's does
      jobs.delete(job.envelope.commandId);
      throw error;
    }
  };

  /** An id seen before: the same command is the same job, another command under it is refused. */
  const known = (envelope: CommandEnvelope) => {
    const job = jobs.get(envelope.commandId);
    if (!job) return undefined;
    return { job, reused: reusedCommandId(envelope, commandFingerprint(job.envelope)) };
  };

  /** A process manager's send: queued to run later, answered as the client without wait does. */
  const enqueue = (async (request: CommandRequest) => {
    const envelope = buildEnvelope(request, clock.now());
    const invalid = checkEnvelope(envelope);
    if (invalid) return invalid;
    // BullMQ keeps one job per id: a re-sent command is not enqueued again
    const seen = known(envelope);
    if (seen?.reused) return seen.reused;
    if (!seen) queue.push(add(envelope));
    return { status: 'enqueued', commandId: envelope.commandId };
  }) as ProcessRuntime['client']['send'];

  /** Runs the oldest job queued; false when none is. */
  const runNext = async (): Promise<boolean> => {
    const job = queue.shift();
    if (!job) return false;
    await run(job);
    return true;
  };

  /** What the client's waiting send answers: the id the sender chose may name a job seen before. */
  const answer = async (envelope: CommandEnvelope, chosenId: boolean): Promise<CommandResult> => {
    const invalid = checkEnvelope(envelope);
    if (invalid) return invalid;
    const seen = chosenId ? known(envelope) : undefined;
    if (seen?.reused) return seen.reused;
    if (seen) {
      // sent by a process manager and not run yet: the queue (run first by every step) runs up to it
      while (!seen.job.result && (await runNext()));
      if (seen.job.result) return seen.job.result;
    }
    return run(add(envelope));
  };

  return { enqueue, runNext, answer };
};
