import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandClient } from '../../src/commands/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
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
      // then its job (envelope, payload, result) is gone from Redis soon after a second
      await waitFor(async () => (await client.status('idle-cmd-1')).status === 'unknown', {
        what: 'the completed job swept',
      });
    } finally {
      await client.close();
    }
  });
});
