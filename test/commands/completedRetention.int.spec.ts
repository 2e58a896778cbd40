import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandClient, startCompletedSweep } from '../../src/commands/index.js';
import { type CommandPath, createCommandPath, REDIS_URL } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { dropQueuePrefix, testQueuePrefix } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';

describe('completed commands kept in Redis', () => {
  let path: CommandPath;
  beforeAll(async () => {
    path = await createCommandPath({ shards: 1 });
    await path.startWorker();
  });
  afterAll(() => path.close());

  it('given a retention of 2 per shard, only the last 2 finished commands stay readable in Redis', async () => {
    const client = createCommandClient({
      ...path.config,
      completedRetention: { ageSeconds: 3_600, count: 2 },
    });
    try {
      const ids = ['keep-1', 'keep-2', 'keep-3', 'keep-4'];
      await client.send(placeOrder('keep', 'keep-1'), { wait: true });
      for (const [k, commandId] of ids.slice(1).entries())
        expect(
          await client.send({ ...paymentAttempt('keep', k + 1), commandId }, { wait: true }),
        ).toMatchObject({
          status: 'accepted',
        });
      const statuses = await Promise.all(ids.map((id) => client.status(id)));
      expect(statuses.map((status) => status.status)).toEqual(['unknown', 'unknown', 'done', 'done']);
    } finally {
      await client.close();
    }
  });
});

describe('completed commands on an idle shard', () => {
  let path: CommandPath;
  const retention = { ageSeconds: 1, count: 100_000 };
  beforeAll(async () => {
    path = await createCommandPath({ shards: 1 });
    await path.startWorker({ completedRetention: retention });
  });
  afterAll(() => path.close());

  it('leave Redis once their retention is over, though no later command completes there', async () => {
    const client = createCommandClient({ ...path.config, completedRetention: retention });
    try {
      // given the last command this shard finishes
      expect(await client.send(placeOrder('idle-1', 'idle-cmd-1'), { wait: true })).toMatchObject({
        status: 'accepted',
      });
      // then its job (envelope, payload, result) is gone from Redis soon after a second, and so is
      // the copy of its result in the queue's event stream
      await waitFor(async () => (await client.status('idle-cmd-1')).status === 'unknown', {
        what: 'the completed job swept',
      });
      const redis = new Redis(path.config.redisUrl);
      try {
        const events = `${path.config.queuePrefix}:commands-0:events`;
        await waitFor(async () => !JSON.stringify(await redis.xrange(events, '-', '+')).includes('idle-1'), {
          what: 'the completed event swept',
        });
      } finally {
        redis.disconnect();
      }
    } finally {
      await client.close();
    }
  });
});

describe('dead letters with a retention', () => {
  const prefix = testQueuePrefix();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('commands-0', { connection: redis, prefix });
  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await dropQueuePrefix(REDIS_URL, prefix);
  });

  it('leave Redis once older than CHRONICLE_DEAD_LETTER_KEEP_DAYS says, idle queue or not', async () => {
    // given a command that failed for good
    const failing = new Worker(
      'commands-0',
      async () => {
        throw new UnrecoverableError('VALUE_REFUSED: refused');
      },
      { connection: redis.duplicate(), prefix },
    );
    await queue.add(
      'PlaceOrder',
      { secret: 'dead-letter-payload' },
      { jobId: 'dead-1', removeOnFail: false },
    );
    await waitFor(async () => (await queue.getFailedCount()) === 1, { what: 'the dead letter' });
    await failing.close();
    // when the sweep runs with a retention of a second
    const sweep = startCompletedSweep([queue], { ageSeconds: 1, count: 100, deadLetterAgeSeconds: 1 }, redis);
    try {
      await waitFor(async () => (await queue.getFailedCount()) === 0, { what: 'the dead letter swept' });
      expect(await queue.getJob('dead-1')).toBeUndefined();
    } finally {
      sweep.stop();
    }
  });

  it('keeps dead letters without one', async () => {
    await queue.add('PlaceOrder', {}, { jobId: 'dead-2', removeOnFail: false });
    const failing = new Worker(
      'commands-0',
      async () => {
        throw new UnrecoverableError('VALUE_REFUSED: refused');
      },
      { connection: redis.duplicate(), prefix },
    );
    await waitFor(async () => (await queue.getFailedCount()) === 1, { what: 'the dead letter' });
    await failing.close();
    const sweep = startCompletedSweep([queue], { ageSeconds: 1, count: 100 }, redis);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await queue.getFailedCount()).toBe(1);
    } finally {
      sweep.stop();
    }
  });
});
