import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandClient, createCommandClient, shardQueueName } from '../../src/commands/index.js';
import type { CommandResult } from '../../src/messages/index.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { type PrivateRedis, startPrivateRedis } from '../support/privateRedis.js';
import { type PodProcess, startPod } from '../support/processes.js';
import { createTestDatabase, type TestDatabase, testQueuePrefix } from '../support/testDatabase.js';

const SHARDS = 2;

/** Sends each order's commands in order without waiting in between: a pipelined load. */
const pipelined = (client: CommandClient, prefix: string, orders: number, perOrder: number) => {
  const sends: Promise<CommandResult>[] = [];
  for (let k = 0; k < perOrder; k++)
    for (let o = 0; o < orders; o++) {
      const id = `${prefix}-${o}`;
      sends.push(
        client.send(k === 0 ? placeOrder(id) : paymentAttempt(id, k), { wait: true, timeoutMs: 90_000 }),
      );
    }
  return Promise.all(sends);
};

describe('Redis restarted without persistence under load, two command pods', () => {
  let db: TestDatabase;
  let redis: PrivateRedis;
  let client: CommandClient;
  const pods: PodProcess[] = [];
  const prefix = testQueuePrefix();
  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await startPrivateRedis(['--appendonly', 'no']);
    client = createCommandClient({ redisUrl: redis.url, shards: SHARDS, queuePrefix: prefix });
  });
  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.kill('SIGTERM')));
    await client.close();
    await redis.stop();
    await db.drop();
  });

  it('asserts the one-job-per-shard limit again, so every command sent after the restart runs in order', async () => {
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      CHRONICLE_SHARDS: String(SHARDS),
      CHRONICLE_QUEUE_PREFIX: prefix,
    };
    pods.push(startPod('workers/command-worker.ts', env), startPod('workers/command-worker.ts', env));
    await Promise.all(pods.map((pod) => pod.waitFor(/command worker started/, 90_000)));
    expect((await pipelined(client, 'before', 4, 10)).every((result) => result.status === 'accepted')).toBe(
      true,
    );

    // when Redis restarts empty (no AOF): the queues and the shard limits are gone
    await redis.restart();
    const probe = new Redis(redis.url);
    try {
      // then the pods set the limit again once they reconnect (while they wait, they take no job)
      for (;;) {
        const limits = await Promise.all(
          Array.from({ length: SHARDS }, (_, shard) =>
            probe.hget(`${prefix}:${shardQueueName(shard)}:meta`, 'concurrency'),
          ),
        );
        if (limits.every((limit) => limit === '1')) break;
        await sleep(50);
      }
    } finally {
      probe.disconnect();
    }
    // and a pipelined load after the restart runs each aggregate's commands in order
    const results = await pipelined(client, 'after', 20, 40);
    expect(results.filter((result) => result.status !== 'accepted')).toEqual([]);
    expect(pods.map((pod) => pod.output()).join('')).toMatch(/shard limit asserted again/);
  });
});
