import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransientError } from '../../src/errors/index.js';
import type { EventStore } from '../../src/eventStore/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';

/** A store whose appends to some streams fail for a while, as if the database dropped out. */
const flakyStore =
  (failures: Map<string, number>) =>
  (store: EventStore): EventStore => ({
    ...store,
    append: async (request) => {
      const left = failures.get(request.streamId) ?? 0;
      if (left > 0) {
        failures.set(request.streamId, left - 1);
        throw new TransientError(`database unavailable (${request.streamId})`);
      }
      return store.append(request);
    },
  });

describe('infrastructure failures while running a command', () => {
  let path: CommandPath;
  const failures = new Map<string, number>();
  beforeAll(async () => {
    path = await createCommandPath({ shards: 1 });
    await path.startWorker({ decorateStore: flakyStore(failures), retry: { attempts: 4, baseDelayMs: 20 } });
  });
  afterAll(() => path.close());

  it('a transient failure is retried in place: the commands behind it wait, and run after it, in order', async () => {
    await path.client.send(placeOrder('flaky-1'), { wait: true });
    failures.set('flaky-1', 2);
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => path.client.send(paymentAttempt('flaky-1', n), { wait: true })),
    );
    expect(results.map((result) => result.status === 'accepted' && result.version)).toEqual([2, 3, 4, 5]);
  });

  it('when retries are exhausted, the command lands in the failed set with its reason, and the shard moves on', async () => {
    await path.client.send(placeOrder('flaky-2'), { wait: true });
    failures.set('flaky-2', 100);
    const doomed = path.client.send(
      { ...paymentAttempt('flaky-2', 1), commandId: 'doomed-1' },
      { wait: true },
    );
    await expect(doomed).rejects.toMatchObject({ code: 'COMMAND_FAILED' });
    const status = await path.client.status('doomed-1');
    expect(status).toMatchObject({ status: 'failed' });
    expect(status.status === 'failed' && status.reason).toMatch(/after 4 attempts: database unavailable/);
    failures.set('flaky-2', 0);
    expect(await path.client.send(paymentAttempt('flaky-2', 1), { wait: true })).toMatchObject({
      status: 'accepted',
      version: 2,
    });
  });
});
