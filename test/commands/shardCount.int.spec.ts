import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates } from '../../actors/index.js';
import { CommandWorker, createCommandClient } from '../../src/commands/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';

describe("a deployment's shard count is recorded once and every client and pod is held to it", () => {
  let path: CommandPath;
  beforeAll(async () => {
    path = await createCommandPath({ shards: 4 });
    await path.startWorker();
  });
  afterAll(() => path.close());

  it('given pods on 4 shards, a client on 4 shards is served', async () => {
    const result = await path.client.send(placeOrder('shards-1'), { wait: true });
    expect(result.status).toBe('accepted');
  });

  it('given pods on 4 shards, a client counting 8 is refused before it enqueues, naming both counts', async () => {
    const client = createCommandClient({ ...path.config, shards: 8 });
    try {
      await expect(
        client.send(placeOrder('shards-2'), { wait: true, timeoutMs: 2_000 }),
      ).rejects.toMatchObject({
        code: 'CONFIGURATION',
        message: expect.stringMatching(/CHRONICLE_SHARDS is 8 here, but .* run on 4 shards/),
      });
      await expect(client.send(placeOrder('shards-3'))).rejects.toMatchObject({ code: 'CONFIGURATION' });
      // nothing of it reached a queue or the store
      expect(await path.client.status(placeOrder('shards-2').aggregateId)).toMatchObject({
        status: 'unknown',
      });
      const events = await path.db.orm.em
        .getKnex()
        .raw<{ rows: { n: string }[] }>(
          "select count(*) as n from es_events where stream_id in ('shards-2', 'shards-3')",
        );
      expect(Number(events.rows[0]?.n)).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('given pods on 4 shards, a pod counting 2 does not start', async () => {
    await expect(
      CommandWorker.start({ config: { ...path.config, shards: 2 }, aggregates }),
    ).rejects.toMatchObject({
      code: 'CONFIGURATION',
      message: expect.stringContaining('CHRONICLE_SHARDS is 2 here'),
    });
  });
});
