import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue, Worker } from 'bullmq';
import { ChronicleError } from '../errors/index.js';
import type { LoggerPort } from '../logging/index.js';
import type { RedisConnection } from '../services/index.js';
import { recheckShardCount } from './shardCount.js';

/*
 * A taken job's admission, in one step: set the shard's one-job limit if Redis lost it, and answer
 * whether the job may run: it is the oldest job of the shard's active list (BullMQ moves a taken
 * job from the right of the wait list to the left of the active list, so the rightmost is the one
 * taken first), or it is not in the list at all (taken before the data was lost). Returns
 * { limit was missing (1/0), may run (1/0) }.
 */
const admitScript = `
  local lost = redis.call('HSETNX', KEYS[1], 'concurrency', 1)
  if redis.call('LINDEX', KEYS[2], -1) == ARGV[1] or not redis.call('LPOS', KEYS[2], ARGV[1]) then
    return {lost, 1}
  end
  return {lost, 0}`;
const admitDigest = createHash('sha1').update(admitScript).digest('hex');

/**
 * Keeps every shard queue at one active job across all pods. BullMQ stores that limit in Redis;
 * a Redis that lost its data (restart without persistence, failover to an empty replica, FLUSHALL)
 * forgets it, and then each pod runs a job of the same shard at once: commands of one aggregate
 * overtake each other. So no job runs before its admission (`admit`), which sets the limit again
 * if it is missing and holds a job taken while it was missing until the jobs taken before it are
 * done. Beyond that, the limit is asserted again whenever it may have been lost: the shard workers
 * are paused while the connection is down and resumed only once the limit is set again; it is
 * checked every `checkEveryMs` and by readiness. The deployment's record of the shard count is
 * lost with it, and is recorded again the same way (recheckShardCount).
 */
export class ShardConcurrencyGuard {
  #paused = false;
  #asserting: Promise<void> | undefined;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly queues: readonly Queue[],
    private readonly workers: () => readonly Worker[],
    private readonly connection: RedisConnection,
    /** The queues' prefix, where the deployment's shard count is recorded. */
    private readonly prefix: string,
    private readonly logger: LoggerPort,
    checkEveryMs = 5_000,
  ) {
    connection.on('close', () => this.#pause());
    connection.on('ready', () => void this.assert());
    this.#timer = setInterval(() => void this.check().catch(() => undefined), checkEveryMs);
    this.#timer.unref();
  }

  /**
   * Resolves true once the job `jobId`, taken from shard `shard`, may run: the shard's limit is in
   * place and no job taken before it is still active. While the limit is in place that is at once
   * (one Redis round trip); a job taken while it was missing waits here. False when `stopping`
   * ends the wait: the job is not run, and goes back to its queue.
   */
  async admit(shard: number, jobId: string, stopping: AbortSignal): Promise<boolean> {
    const queue = this.queues[shard];
    if (!queue) throw new ChronicleError('INVARIANT', `no shard queue ${shard}`);
    for (let attempt = 0; !stopping.aborted; attempt++) {
      try {
        const [lost, admitted] = await this.#runAdmit(queue.toKey('meta'), queue.toKey('active'), jobId);
        if (lost === 1) {
          this.logger.warn(
            { shard },
            'shard limit missing from Redis (data lost?): set again before a job ran',
          );
          void this.assert();
        }
        if (admitted === 1) return true;
      } catch (error) {
        // Redis away: the job can neither run safely nor finish; wait for it like the fetch does
        if (attempt === 0) this.logger.warn({ shard, err: error }, 'could not admit a job; retrying');
      }
      await sleep(Math.min(200, 10 * 2 ** Math.min(attempt, 5)), undefined, { signal: stopping }).catch(
        () => undefined,
      );
    }
    return false;
  }

  /** The admit script by its digest (Redis keeps it once loaded), loaded again when Redis lost it. */
  async #runAdmit(metaKey: string, activeKey: string, jobId: string): Promise<[number, number]> {
    try {
      return (await this.connection.evalsha(admitDigest, 2, metaKey, activeKey, jobId)) as [number, number];
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return (await this.connection.eval(admitScript, 2, metaKey, activeKey, jobId)) as [number, number];
    }
  }

  /** Sets the limit on every shard queue, then lets paused workers fetch again. */
  assert(): Promise<void> {
    this.#asserting ??= (async () => {
      try {
        await Promise.all([
          ...this.queues.map((queue) => queue.setGlobalConcurrency(1)),
          this.#recheckCount(),
        ]);
        if (this.#paused) {
          this.#paused = false;
          for (const worker of this.workers()) worker.resume();
          this.logger.info({ shards: this.queues.length }, 'shard limit asserted again; workers resumed');
        }
      } catch (error) {
        this.logger.warn({ err: error }, 'could not assert the shard limit; will retry');
      } finally {
        this.#asserting = undefined;
      }
    })();
    return this.#asserting;
  }

  /**
   * True when every shard queue has its limit and Redis records this pod's shard count; asserts
   * what was lost again. False also while another count is recorded, which only the operator can
   * settle (docs/operations.md, CHRONICLE_SHARDS).
   */
  async check(): Promise<boolean> {
    const [limits, counted] = await Promise.all([
      Promise.all(this.queues.map((queue) => queue.getGlobalConcurrency())),
      this.#recheckCount(),
    ]);
    if (limits.every((limit) => limit === 1)) return counted;
    this.logger.warn({ limits }, 'shard limit missing from Redis (data lost?): asserting it again');
    this.#pause();
    await this.assert();
    return false;
  }

  /** Records the shard count again if Redis lost it; false when Redis records another one. */
  async #recheckCount(): Promise<boolean> {
    const shards = this.queues.length;
    const found = await recheckShardCount(this.connection, this.prefix, shards);
    switch (found.status) {
      case 'kept':
        return true;
      case 'restored':
        this.logger.warn({ shards }, 'shard count missing from Redis (data lost?): recorded again');
        return true;
      case 'conflict':
        this.logger.error(
          { shards, recorded: found.recorded },
          `Redis records ${found.recorded} shards for prefix "${this.prefix}" but this pod runs on ${shards}: clients that resolve the count now route where no pod of this count serves (docs/operations.md, CHRONICLE_SHARDS)`,
        );
        return false;
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    // the job in hand finishes; no new one is fetched until the limit is back
    for (const worker of this.workers()) void worker.pause(true).catch(() => undefined);
  }
}
