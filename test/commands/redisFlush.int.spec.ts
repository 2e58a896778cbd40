import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/eventStore/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';
import { type PrivateRedis, startPrivateRedis } from '../support/privateRedis.js';

/** How many appends run at once, and the most that ever did: one shard allows one. */
const overlap = () => {
  const seen = { running: 0, most: 0 };
  /** A store whose appends take a while, so two running at once overlap. */
  const slowStore = (store: EventStore): EventStore => ({
    ...store,
    append: async (request) => {
      seen.running++;
      seen.most = Math.max(seen.most, seen.running);
      try {
        await sleep(20);
        return await store.append(request);
      } finally {
        seen.running--;
      }
    },
  });
  return { seen, slowStore };
};

describe('Redis that loses its data but keeps the connection (FLUSHALL), two command workers on one shard', () => {
  let redis: PrivateRedis;
  let path: CommandPath;
  const { seen, slowStore } = overlap();
  beforeAll(async () => {
    redis = await startPrivateRedis(['--appendonly', 'no']);
    path = await createCommandPath({ redisUrl: redis.url, shards: 1 });
    await path.startWorker({ decorateStore: slowStore });
    await path.startWorker({ decorateStore: slowStore });
  });
  afterAll(async () => {
    await path?.close();
    await redis?.stop();
  });

  it('takes no job while the one-job limit is missing: commands sent right after the flush run one at a time', async () => {
    const before = await Promise.all(
      Array.from({ length: 6 }, (_, n) => path.client.send(placeOrder(`before-${n}`), { wait: true })),
    );
    expect(before.every((result) => result.status === 'accepted')).toBe(true);
    expect(seen.most).toBe(1);

    // when Redis loses every key (the shard's limit with them) while both workers stay connected
    const probe = new Redis(redis.url);
    try {
      await probe.flushall();
    } finally {
      probe.disconnect();
    }
    // then commands sent at once still run one at a time across both workers
    const after = await Promise.all(
      Array.from({ length: 40 }, (_, n) => path.client.send(placeOrder(`after-${n}`), { wait: true })),
    );
    expect(after.filter((result) => result.status !== 'accepted')).toEqual([]);
    expect(seen.most).toBe(1);
  });
});
