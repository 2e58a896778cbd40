import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnvelope, shardQueueName } from '../../src/commands/index.js';
import { commandJobOptions } from '../../src/commands/jobOptions.js';
import { defaultCompletedRetention } from '../../src/config/completedRetention.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrder, placeOrderPayload } from '../support/orderCommands.js';
import { type PodProcess, startPod } from '../support/processes.js';

describe('a command the database refuses, in a spawned command pod', () => {
  let path: CommandPath;
  let pod: PodProcess | undefined;
  beforeAll(async () => {
    path = await createCommandPath({ shards: 1 });
  });
  afterAll(async () => {
    await pod?.kill('SIGTERM');
    await path.close();
  });

  it('is not retried in place: the 40 commands to other aggregates sent behind it are all answered', async () => {
    pod = startPod('workers/command-worker.ts', path.podEnv);
    await pod.waitFor(/command worker started/, 90_000);
    // given a poison payload (a NUL that jsonb refuses) put in the queue by a producer that skips
    // the client's checks
    const connection = new Redis(path.config.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(shardQueueName(0), { connection, prefix: path.config.queuePrefix });
    const poison = buildEnvelope({
      ...placeOrder('poisoned', 'poison-1'),
      payload: { ...placeOrderPayload, customerId: 'nul\u0000here' },
    });
    await queue.add(poison.type, poison, commandJobOptions(poison.commandId, defaultCompletedRetention));
    await queue.close();
    await connection.quit();
    // when 40 commands to other aggregates are sent behind it, on the same shard
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, n) => path.client.send(placeOrder(`victim-${n}`), { wait: true })),
    );
    const tookMs = Date.now() - started;
    // then every one is answered, and the poison was tried once: dead-lettered or refused, never retried
    expect(results.map((result) => result.status)).toEqual(Array(40).fill('accepted'));
    const status = await path.client.status('poison-1');
    expect(['failed', 'done']).toContain(status.status);
    expect(pod.output()).not.toMatch(/retrying in place/);
    console.info(`40 commands behind a poison one answered in ${tookMs} ms`);
  });
});
