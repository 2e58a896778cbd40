import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandReply } from '../../src/commands/commandReply.js';
import { replyChannel } from '../../src/commands/commandReply.js';
import { createCommandClient } from '../../src/commands/index.js';
import { ReplyListener } from '../../src/commands/replyListener.js';
import { type CommandPath, createCommandPath, REDIS_URL } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';

const accepted = (commandId: string): CommandReply => ({
  status: 'completed',
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
});
