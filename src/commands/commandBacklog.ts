import type { Queue } from 'bullmq';
import type { LoggerPort } from '../logging/index.js';
import { type CommandBacklogReading, observeCommandBacklog, type Unregister } from '../metrics/index.js';
import type { RedisConnection } from '../services/index.js';

/**
 * Reads the commands waiting over all shard queues and the age of the oldest: per shard one
 * pipeline (LLEN of the wait list, LINDEX of its oldest end) and, for a shard with work waiting,
 * one HGET of that job's enqueue time. A queue's keys share one hash slot, so each pipeline goes
 * to one node of a Redis Cluster. Jobs in hand (active) are not waiting; a command job has no
 * priority or delay, so the wait list holds all the rest.
 */
export const readCommandBacklog = async (
  connection: RedisConnection,
  queues: readonly Queue[],
  now: number = Date.now(),
): Promise<CommandBacklogReading> => {
  const shards = await Promise.all(
    queues.map(async (queue) => {
      const wait = queue.toKey('wait');
      const replies = await connection.pipeline().llen(wait).lindex(wait, -1).exec();
      const [lengthReply, oldestReply] = replies ?? [];
      if (lengthReply?.[0]) throw lengthReply[0];
      if (oldestReply?.[0]) throw oldestReply[0];
      const waiting = Number(lengthReply?.[1] ?? 0);
      const oldestId = oldestReply?.[1];
      if (waiting === 0 || typeof oldestId !== 'string') return { waiting, enqueuedAt: undefined };
      // BullMQ pushes new jobs at the head and takes them from the tail: the tail is the oldest
      const enqueuedAt = await connection.hget(queue.toKey(oldestId), 'timestamp');
      return { waiting, enqueuedAt: enqueuedAt === null ? undefined : Number(enqueuedAt) };
    }),
  );
  const enqueued = shards.map((shard) => shard.enqueuedAt).filter((at) => at !== undefined);
  return {
    waiting: shards.reduce((sum, shard) => sum + shard.waiting, 0),
    oldestSeconds: enqueued.length === 0 ? 0 : Math.max(0, (now - Math.min(...enqueued)) / 1000),
  };
};

/**
 * A command pod's view of the work waiting, for `chronicle_commands_waiting` and
 * `chronicle_commands_oldest_waiting_seconds` (what an autoscaler scales command pods on). Read
 * every `everyMs` in the background, never at collection, so Redis sees a bounded cost per pod
 * (shards pipelines every few seconds) however often /metrics is scraped. A failed read leaves
 * the gauges without a value rather than a stale one.
 */
export class CommandBacklog {
  #last: CommandBacklogReading | undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #unregister: Unregister;

  constructor(
    private readonly connection: RedisConnection,
    private readonly queues: readonly Queue[],
    private readonly logger: LoggerPort,
    everyMs = 5_000,
  ) {
    this.#unregister = observeCommandBacklog(() => this.#last);
    this.#timer = setInterval(() => void this.refresh(), everyMs);
    this.#timer.unref();
    void this.refresh();
  }

  /** Reads the backlog now (the timer calls it); the reading is kept for the next collection. */
  async refresh(): Promise<CommandBacklogReading | undefined> {
    try {
      this.#last = await readCommandBacklog(this.connection, this.queues);
    } catch (error) {
      // once per outage: Redis being down is reported loudly elsewhere
      if (this.#last) this.logger.warn({ err: error }, 'could not read the commands waiting');
      this.#last = undefined;
    }
    return this.#last;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#unregister();
  }
}
