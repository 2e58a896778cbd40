import { describe, expect, it, vi } from 'vitest';
import { ActorHost } from '../../src/actorHost/index.js';
import { buildEnvelope } from '../../src/commands/index.js';
import { registry } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { usePostgresEventStore } from '../support/postgresEventStore.js';

describe('two pods on one aggregate: an append conflict', () => {
  const opened = usePostgresEventStore();

  it('when another pod moved the stream, reads only the missing events, decides again and appends after them', async () => {
    const podA = new ActorHost(opened.store, registry);
    const podB = new ActorHost(opened.store, registry);
    expect(await podA.handle(buildEnvelope(placeOrder('conflict-1')))).toMatchObject({
      status: 'accepted',
      version: 1,
    });
    // pod B now holds the order live at version 1
    expect(await podB.handle(buildEnvelope(paymentAttempt('conflict-1', 1)))).toMatchObject({ version: 2 });
    // pod A, whose actor is stale at version 1, is told to fail the payment
    expect(await podA.handle(buildEnvelope(paymentAttempt('conflict-1', 2)))).toMatchObject({
      status: 'accepted',
      version: 3,
    });

    const read = vi.spyOn(opened.store, 'readStreamToFold');
    // pod B is stale now (at 2); its command conflicts, then it catches up from version 2 only
    const result = await podB.handle(buildEnvelope(paymentAttempt('conflict-1', 3)));
    expect(result).toMatchObject({ status: 'accepted', version: 4 });
    expect(read).toHaveBeenCalledTimes(1);
    expect(read).toHaveBeenCalledWith({ streamType: 'order', streamId: 'conflict-1' }, { afterVersion: 2 });
    expect(
      (await opened.store.readStream({ streamType: 'order', streamId: 'conflict-1' })).map((e) => e.type),
    ).toEqual(['OrderPlaced', 'OrderPaymentInitiated', 'OrderPaymentFailed', 'OrderPaymentInitiated']);
    podA.stop();
    podB.stop();
  });

  it('when the stream moved so that the command no longer fits, the retried decision is a rejection', async () => {
    const podA = new ActorHost(opened.store, registry);
    const podB = new ActorHost(opened.store, registry);
    await podA.handle(buildEnvelope(placeOrder('conflict-2')));
    await podB.handle(buildEnvelope(paymentAttempt('conflict-2', 1))); // B live at 2, processing
    await podA.handle(
      buildEnvelope({ aggregateType: 'order', aggregateId: 'conflict-2', type: 'ConfirmPayment' }),
    );
    // B is stale: it still believes the payment is processing; after catching up the order is paid
    const result = await podB.handle(buildEnvelope(paymentAttempt('conflict-2', 2)));
    expect(result).toMatchObject({ status: 'rejected', code: 'INVALID_TRANSITION' });
    podA.stop();
    podB.stop();
  });
});
