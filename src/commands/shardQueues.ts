import { Queue } from 'bullmq';
import type { ShardsSetting } from '../config/index.js';
import type { RedisConnection } from '../services/index.js';
import { lookupShardCount, resolveShardCount } from './shardCount.js';
import { shardQueueName, shardQueueOptions } from './shardFor.js';

/**
 * The command shard queues as a client, reader or pod sees them: one Queue per shard, opened on
 * first use, and the deployment's shard count (shardCount.ts), resolved once before the first
 * command goes out (a command pod resolves it first, then opens them all).
 */
export class ShardQueues {
  private readonly opened = new Map<number, Queue>();
  private routing: Promise<number> | undefined;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly shards: ShardsSetting,
    /** Each queue goes through here when opened (a connection error reporter's watch). */
    private readonly watch: (queue: Queue) => Queue = (queue) => queue,
  ) {}

  /** The count to route commands with: resolved and recorded once; a failed resolution is tried again by the next call. */
  routingCount(): Promise<number> {
    this.routing ??= resolveShardCount(this.redis, this.prefix, this.shards).catch((error) => {
      this.routing = undefined;
      throw error;
    });
    return this.routing;
  }

  queue(shard: number): Queue {
    let found = this.opened.get(shard);
    if (!found) {
      found = this.watch(new Queue(shardQueueName(shard), shardQueueOptions(this.redis, this.prefix, shard)));
      this.opened.set(shard, found);
    }
    return found;
  }

  /**
   * Every shard's queue, for lookups (status, dead letters, counts): as many as the routing count
   * once this client has resolved it, else as the deployment's count, read without recording it.
   */
  async all(): Promise<Queue[]> {
    const routed = await this.routing?.catch(() => undefined);
    const count = routed ?? (await lookupShardCount(this.redis, this.prefix, this.shards));
    return Array.from({ length: count }, (_, shard) => this.queue(shard));
  }

  async close(): Promise<void> {
    await Promise.all([...this.opened.values()].map((queue) => queue.close()));
  }
}
