import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/eventStore/index.js';
import { SNAPSHOT_SWEEP_QUEUE } from '../../src/snapshots/index.js';
import { REDIS_URL } from '../support/commandPath.js';
import { type PrivateRedis, startPrivateRedis } from '../support/privateRedis.js';
import { startPod } from '../support/processes.js';
import {
  createTestDatabase,
  dropQueuePrefix,
  type TestDatabase,
  testQueuePrefix,
} from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';

describe('snapshot worker pod', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  const prefix = testQueuePrefix();
  afterAll(async () => {
    await db.drop();
    await dropQueuePrefix(REDIS_URL, prefix);
  });

  it('starts from workers/snapshot-worker.ts, and on SIGTERM releases its leases and exits 0', async () => {
    const pod = startPod('workers/snapshot-worker.ts', {
      DATABASE_URL: db.url,
      CHRONICLE_QUEUE_PREFIX: prefix,
      CHRONICLE_WORKER_ID: 'snap-pod',
    });
    const knex = db.orm.em.getKnex();
    await waitFor(
      async () => {
        const owned = await query(
          knex,
          `select 1 from es_checkpoints where subscription = 'snapshots' and owner = 'snap-pod'`,
        );
        return owned.length === 2 && pod.output().includes('chronicle-snapshot-worker ready');
      },
      { what: `the pod to hold its partitions (${pod.output()})`, timeoutMs: 30_000, everyMs: 100 },
    );
    expect(await pod.kill('SIGTERM'), pod.output()).toEqual({ code: 0, signal: null });
    expect(await query(knex, 'select * from es_checkpoints where owner is not null')).toEqual([]);
  });
});

describe('snapshot worker pod, its Redis restarted without persistence', () => {
  let db: TestDatabase;
  let redis: PrivateRedis;
  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await startPrivateRedis(['--appendonly', 'no']);
  });
  afterAll(async () => {
    await redis.stop();
    await db.drop();
  });

  it('makes the sweep schedule again once Redis forgot it', async () => {
    const pod = startPod('workers/snapshot-worker.ts', { DATABASE_URL: db.url, REDIS_URL: redis.url });
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(SNAPSHOT_SWEEP_QUEUE, { connection, prefix: 'chronicle' });
    try {
      await pod.waitFor(/chronicle-snapshot-worker ready/, 90_000);
      expect(await queue.getJobScheduler('snapshot-sweep')).toBeTruthy();
      // when Redis restarts empty
      await redis.restart();
      // then the pod makes the schedule again (on reconnect)
      await waitFor(async () => Boolean(await queue.getJobScheduler('snapshot-sweep')), {
        what: 'the sweep schedule',
      });
      await pod.waitFor(/snapshot sweep schedule missing from Redis: made again/);
    } finally {
      await queue.close();
      connection.disconnect();
      await pod.kill('SIGTERM');
    }
  });
});
