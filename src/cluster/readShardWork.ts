import type { Queue } from 'bullmq';
import type { StoredPod } from '../eventStore/index.js';

/** A command shard queue now: the live command pods with a worker on it, the command running, the backlog. */
export type ShardWork = {
  readonly shard: number;
  readonly queue: string;
  /** Live command pods running a worker on this queue (every pod works every shard of its count). */
  readonly pods: readonly string[];
  /** The command running now (one at a time per shard) and the pod running it. */
  readonly active: { readonly commandId: string; readonly pod: string | null } | null;
  readonly waiting: number;
};

/** The shard count a command pod registered it works (`details.shards`). */
const shardsOf = (pod: StoredPod): number =>
  typeof pod.details.shards === 'number' ? pod.details.shards : 0;

/**
 * Per shard queue: who works it and what runs on it now. Two Redis reads per shard (the active job,
 * the counts), whatever the backlog: BullMQ records the worker's name (its pod id) on the job it takes.
 */
export const readShardWork = async (
  queues: readonly Queue[],
  pods: readonly StoredPod[],
): Promise<ShardWork[]> => {
  const commandPods = pods.filter((pod) => pod.kind === 'command' && pod.state === 'live');
  return Promise.all(
    queues.map(async (queue, shard): Promise<ShardWork> => {
      const [[running], counts] = await Promise.all([
        queue.getJobs(['active'], 0, 0),
        queue.getJobCounts('waiting', 'prioritized'),
      ]);
      return {
        shard,
        queue: queue.name,
        pods: commandPods.filter((pod) => shardsOf(pod) > shard).map((pod) => pod.id),
        active: running?.id ? { commandId: running.id, pod: running.processedBy ?? null } : null,
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      };
    }),
  );
};
