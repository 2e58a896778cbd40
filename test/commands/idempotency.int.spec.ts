import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardFor, shardQueueName } from '../../src/commands/index.js';
import { query } from '../../src/eventStore/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';

describe('the same command id sent twice', () => {
  let path: CommandPath;
  beforeAll(async () => {
    path = await createCommandPath();
    await path.startWorker();
  });
  afterAll(() => path.close());

  const eventsOf = async (streamId: string) =>
    query<{ version: number }>(
      path.db.orm.em.getKnex(),
      'select version from es_events where stream_id = ?',
      [streamId],
    );

  it('when sent concurrently, has one effect and both callers get the same result', async () => {
    const command = placeOrder('idem-1', 'place-idem-1');
    const [first, second] = await Promise.all([
      path.client.send(command, { wait: true }),
      path.client.send(command, { wait: true }),
    ]);
    expect(first.status).toBe('accepted');
    expect(second).toEqual(first);
    expect(await eventsOf('idem-1')).toHaveLength(1);
  });

  it('when sent again after it completed, answers with the first result and appends nothing', async () => {
    const command = placeOrder('idem-2', 'place-idem-2');
    const first = await path.client.send(command, { wait: true });
    const again = await path.client.send(command, { wait: true });
    expect(again).toEqual(first);
    expect(await eventsOf('idem-2')).toHaveLength(1);
  });

  it('when sent again after its job was removed from the queue, the store answers with the first result', async () => {
    const command = placeOrder('idem-3', 'place-idem-3');
    const first = await path.client.send(command, { wait: true });
    const queue = new Queue(shardQueueName(shardFor('order', 'idem-3', path.config.shards)), {
      connection: { url: path.config.redisUrl },
      prefix: path.config.queuePrefix,
    });
    await queue.remove('place-idem-3');
    await queue.close();
    expect(await path.client.status('place-idem-3')).toEqual({
      status: 'unknown',
      commandId: 'place-idem-3',
    });

    const again = await path.client.send(command, { wait: true });
    expect(again).toEqual(first);
    expect(await eventsOf('idem-3')).toHaveLength(1);
  });
});
