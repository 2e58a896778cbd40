import { LRUCache } from 'lru-cache';
import type { AggregateInstance } from '../aggregate/index.js';

export type ActorCacheOptions = {
  /** Live actors kept at most; the least recently used is passivated first. Default 10,000. */
  readonly maxActors?: number;
  /** An actor idle this long is passivated. Default 10 minutes. */
  readonly idleMs?: number;
  /** The clock idle time is read from, in milliseconds; a test's own clock makes idleness exact. */
  readonly now?: () => number;
};

export type ActorCacheStats = { readonly size: number; readonly hits: number; readonly misses: number };

/** Live aggregate instances, bounded by count and idle time; one evicted is simply dropped. */
export class ActorCache {
  readonly #cache: LRUCache<string, AggregateInstance>;
  #hits = 0;
  #misses = 0;

  constructor(options: ActorCacheOptions = {}) {
    this.#cache = new LRUCache<string, AggregateInstance>({
      max: options.maxActors ?? 10_000,
      ttl: options.idleMs ?? 10 * 60_000,
      updateAgeOnGet: true,
      ttlAutopurge: true,
      ...(options.now && { perf: { now: options.now }, ttlResolution: 0 }),
    });
  }

  static key(aggregateType: string, aggregateId: string): string {
    return `${aggregateType}/${aggregateId}`;
  }

  get(key: string): AggregateInstance | undefined {
    const actor = this.#cache.get(key);
    if (actor) this.#hits++;
    else this.#misses++;
    return actor;
  }

  set(key: string, actor: AggregateInstance): void {
    this.#cache.set(key, actor);
  }

  /** Drops an actor whose state can no longer be trusted (a failed fold, an unknown append). */
  evict(key: string): void {
    this.#cache.delete(key);
  }

  stats(): ActorCacheStats {
    return { size: this.#cache.size, hits: this.#hits, misses: this.#misses };
  }

  clear(): void {
    this.#cache.clear();
  }
}
