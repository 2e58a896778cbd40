import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandReply } from '../../src/commands/commandReply.js';
import { replyChannel } from '../../src/commands/commandReply.js';
import { createCommandClient } from '../../src/commands/index.js';
import { ReplyListener } from '../../src/commands/replyListener.js';
import { type CommandPath, createCommandPath, REDIS_URL } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';

const accepted = (commandId: string, shard = 0): CommandReply => ({
  status: 'completed',
  shard,
  commandId,
  result: { status: 'accepted', commandId, aggregateType: 'order', aggregateId: 'o', version: 1, events: [] },
});

describe('command answers over the reply channel', () => {
  let path: CommandPath;
  beforeAll(async () => {
    path = await createCommandPath();
    await path.startWorker();
  });
  afterAll(() => path.close());

  it('two clients on the same queues each hear their own answers', async () => {
    const other = createCommandClient(path.config);
    try {
      const [mine, theirs] = await Promise.all([
        path.client.send(placeOrder('reply-a', 'reply-cmd-a'), { wait: true }),
        other.send(placeOrder('reply-b', 'reply-cmd-b'), { wait: true }),
      ]);
      expect(mine).toMatchObject({ status: 'accepted', commandId: 'reply-cmd-a', aggregateId: 'reply-a' });
      expect(theirs).toMatchObject({ status: 'accepted', commandId: 'reply-cmd-b', aggregateId: 'reply-b' });
    } finally {
      await other.close();
    }
  });

  it('an answer is heard only once its job is finished in the queue: status() already agrees', async () => {
    // the worker publishes the answer right behind the job's completion instead of after its reply
    await path.client.send(placeOrder('reply-status'), { wait: true });
    for (let n = 1; n <= 20; n++) {
      const answer = await path.client.send(paymentAttempt('reply-status', n), { wait: true });
      expect(answer).toMatchObject({ status: 'accepted', version: n + 1 });
      expect(await path.client.status(answer.commandId)).toEqual({
        status: 'done',
        commandId: answer.commandId,
        result: answer,
      });
    }
  }, 30_000);

  it('a command answered before anyone waited for it (sent without waiting) answers a later waiting send from its queue', async () => {
    const enqueued = await path.client.send(placeOrder('reply-c', 'reply-cmd-c'));
    expect(enqueued).toEqual({ status: 'enqueued', commandId: 'reply-cmd-c' });
    const first = await path.client.send(placeOrder('reply-c', 'reply-cmd-c'), { wait: true });
    expect(first).toMatchObject({ status: 'accepted', commandId: 'reply-cmd-c', version: 1 });
  });

  it('given a reply that never comes (the worker died before publishing it), the wait reads the answer from the queue', async () => {
    const looked: string[] = [];
    const listener = await ReplyListener.start(
      new Redis(REDIS_URL),
      replyChannel(path.config.queuePrefix, randomUUID()),
      async (commandId) => {
        looked.push(commandId);
        return accepted(commandId);
      },
      50,
    );
    try {
      const reply = await listener.expect('lost-reply', 0, 10_000);
      expect(reply).toEqual(accepted('lost-reply'));
      expect(looked).toContain('lost-reply');
    } finally {
      await listener.close();
    }
  });

  it("a late answer to one shard's job with a command id does not answer a wait for that id in another shard", async () => {
    // as when a reused id was refused in another shard, its answer read from that queue first, and
    // the same id then sent again to its own shard while the published answer was still on its way
    const channel = replyChannel(path.config.queuePrefix, randomUUID());
    const listener = await ReplyListener.start(
      new Redis(REDIS_URL),
      channel,
      async (commandId, shard) => (shard === 2 ? accepted(commandId, shard) : undefined),
      3_600_000,
    );
    const publisher = new Redis(REDIS_URL);
    try {
      const waiting = listener.expect('reused-id', 2, 20_000);
      const late: CommandReply = {
        status: 'failed',
        shard: 5,
        commandId: 'reused-id',
        reason: 'the other job',
      };
      await publisher.publish(channel, JSON.stringify(late));
      await publisher.publish(channel, JSON.stringify(accepted('reused-id', 2)));
      expect(await waiting).toEqual(accepted('reused-id', 2));
    } finally {
      publisher.disconnect();
      await listener.close();
    }
  });

  it('when the subscription connection drops, every waiting command is looked up after the reconnect', async () => {
    const subscriber = new Redis(REDIS_URL);
    const id = await subscriber.client('ID');
    // the periodic look-up is an hour away: only the reconnect can answer within the wait
    const listener = await ReplyListener.start(
      subscriber,
      replyChannel(path.config.queuePrefix, randomUUID()),
      async (commandId) => accepted(commandId),
      3_600_000,
    );
    const admin = new Redis(REDIS_URL);
    try {
      const waiting = listener.expect('during-outage', 0, 20_000);
      expect(await admin.client('KILL', 'ID', String(id))).toBe(1);
      expect(await waiting).toEqual(accepted('during-outage'));
    } finally {
      admin.disconnect();
      await listener.close();
    }
  });
  it("a resent dead letter's wait is not answered by the old failure a poll of the first send still reads", async () => {
    // the first send of an id failed and was answered; its poll still sleeps between look-ups. The
    // same id is sent again: its wait is registered before the dead letter is retried, so the
    // queue, read now, still shows the old failure, which must not answer the new wait
    const channel = replyChannel(path.config.queuePrefix, randomUUID());
    const stale: CommandReply = { status: 'failed', shard: 0, commandId: 'resent', reason: 'VERSION_SKEW' };
    let queueSays: CommandReply | undefined;
    const listener = await ReplyListener.start(
      new Redis(REDIS_URL),
      channel,
      async () => queueSays,
      3_600_000,
    );
    const publisher = new Redis(REDIS_URL);
    try {
      const first = listener.expect('resent', 0, 20_000);
      void listener.poll('resent', 0);
      await new Promise((resolve) => setTimeout(resolve, 400)); // the poll's delay has grown past 200 ms
      await publisher.publish(channel, JSON.stringify(stale));
      expect(await first).toEqual(stale);
      queueSays = stale;
      const second = listener.expect('resent', 0, 20_000);
      let heard: CommandReply | undefined;
      void second.then((reply) => {
        heard = reply;
      });
      // the first poll wakes within a second; before the fix it read the old failure for the new wait
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(heard).toBeUndefined();
      await publisher.publish(channel, JSON.stringify(accepted('resent')));
      expect(await second).toEqual(accepted('resent'));
    } finally {
      publisher.disconnect();
      await listener.close();
    }
  });
});
