import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransientError } from '../../src/errors/index.js';
import type { EventStore } from '../../src/eventStore/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { waitFor } from '../support/waitFor.js';

type Fault = { left: number; error: () => Error };

/** A store whose appends to some streams fail for a while: an outage, or a value it refuses. */
const faultyStore =
  (faults: Map<string, Fault>) =>
  (store: EventStore): EventStore => ({
    ...store,
    append: async (request) => {
      const fault = faults.get(request.streamId);
      if (fault && fault.left > 0) {
        fault.left--;
        throw fault.error();
      }
      return store.append(request);
    },
  });

const outage = (left: number): Fault => ({
  left,
  error: () => new TransientError('database unavailable'),
});
/** What pg raises when jsonb refuses a value, with the SQL text knex puts in front of it. */
const refusedValue = (left: number): Fault => ({
  left,
  error: () =>
    Object.assign(
      new Error('insert into es_events (secret sql) values ($1) - unsupported Unicode escape sequence'),
      {
        code: '22P05',
      },
    ),
});

describe('failures while running a command: one classification', () => {
  let path: CommandPath;
  const faults = new Map<string, Fault>();
  beforeAll(async () => {
    path = await createCommandPath({ shards: 1 });
    await path.startWorker({
      decorateStore: faultyStore(faults),
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
    });
  });
  afterAll(() => path.close());

  it('a transient failure is retried in place however long it lasts: never dead-lettered, the commands behind it run after it, in order', async () => {
    await path.client.send(placeOrder('flaky-1'), { wait: true });
    // forty failed attempts: far more than any fixed retry budget
    faults.set('flaky-1', outage(40));
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => path.client.send(paymentAttempt('flaky-1', n), { wait: true })),
    );
    expect(results.map((result) => result.status === 'accepted' && result.version)).toEqual([2, 3, 4, 5]);
    expect(faults.get('flaky-1')?.left).toBe(0);
  });

  it('a failure retrying cannot fix is dead-lettered on its first attempt with a typed reason and no SQL; the shard moves on', async () => {
    await path.client.send(placeOrder('poison-1'), { wait: true });
    faults.set('poison-1', refusedValue(1));
    const doomed = path.client.send(
      { ...paymentAttempt('poison-1', 1), commandId: 'doomed-1' },
      { wait: true },
    );
    const behind = path.client.send(placeOrder('other-1'), { wait: true });
    await expect(doomed).rejects.toMatchObject({ code: 'COMMAND_FAILED' });
    expect(await behind).toMatchObject({ status: 'accepted' });
    expect(faults.get('poison-1')?.left).toBe(0); // one attempt, not eight
    // the answer is published as the job fails: its state follows a moment later
    const status = await waitFor(async () => {
      const read = await path.client.status('doomed-1');
      return read.status === 'failed' && read;
    });
    expect(status).toMatchObject({ status: 'failed', code: 'VALUE_REFUSED' });
    expect(JSON.stringify(status)).not.toMatch(/insert into|secret/);
  });

  it('a resend of a dead-lettered command id runs it again', async () => {
    await path.client.send(placeOrder('poison-2'), { wait: true });
    faults.set('poison-2', refusedValue(1));
    const command = { ...paymentAttempt('poison-2', 1), commandId: 'resent-1' };
    await expect(path.client.send(command, { wait: true })).rejects.toMatchObject({ code: 'COMMAND_FAILED' });
    await waitFor(async () => (await path.client.status('resent-1')).status === 'failed');
    // the cause is gone (fixed, or it was the database's fault after all): the same id runs again
    expect(await path.client.send(command, { wait: true })).toMatchObject({ status: 'accepted', version: 2 });
    expect(await path.client.status('resent-1')).toMatchObject({ status: 'done' });
  });
});
