import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { ordersView } from '../../actors/projections/index.js';
import { createPostgresEventStore, listSubscriptionDeadLetters, query } from '../../src/eventStore/index.js';
import { projectionStatus } from '../../src/projections/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { appendOrders } from './support/orderHistories.js';
import { type SpawnedWorker, spawnProjectionWorker } from './support/spawnWorker.js';

describe('projections: an order orders_view cannot hold', () => {
  let db: TestDatabase;
  let pod: SpawnedWorker | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await pod?.kill('SIGTERM');
    await db.drop();
  });

  it('is parked as a dead letter; the 50 orders after it are all projected and every partition runs', async () => {
    const knex = db.orm.em.getKnex();
    const store = createPostgresEventStore(db.orm, { schemas: domainEventSchemas });
    pod = spawnProjectionWorker(db.url, 'dl-pod', {
      CHRONICLE_PROJECTIONS: 'orders_view',
      LOG_LEVEL: 'info',
    });
    await pod.waitFor(/projection worker started|ready/);
    // given an order whose quantity does not fit orders_view.quantity (integer), written straight
    // into the store as any writer that bypasses the domain's bounds could
    await store.append({
      streamType: 'order',
      streamId: 'too-big',
      expectedVersion: 0,
      events: [
        {
          type: 'OrderPlaced',
          data: {
            customerId: 'c',
            productId: 'p',
            vendorId: 'v',
            quantity: 2147483648,
            totalPrice: 10,
            paymentMethod: 'CARD',
            currency: 'EUR',
            placedAt: '2026-01-01T00:00:00.000Z',
          },
        },
        { type: 'OrderPaymentInitiated', data: {} },
      ],
      metadata: { commandId: 'too-big', correlationId: 'too-big', causationId: 'too-big' },
      command: { commandId: 'too-big', type: 'Test' },
    });
    // when 50 orders follow it
    await appendOrders(
      store,
      Array.from({ length: 50 }, (_, n) => n),
      { prefix: 'after' },
    );

    // then every one of them is projected, the partitions all run, and the bad one is a dead letter
    await waitFor(
      async () => {
        const [row] = await query<{ n: string }>(
          knex,
          `select count(*) as n from orders_view where order_id like 'after-%'`,
        );
        return Number(row?.n) === 50;
      },
      { what: 'the 50 orders', timeoutMs: 60_000 },
    );
    const partitions = await waitFor(async () => {
      const status = await projectionStatus(knex, domainEventSchemas, [ordersView]);
      return status.every((partition) => partition.lag.events === 0) && status;
    });
    expect(partitions.map((partition) => partition.state)).toEqual([
      'running',
      'running',
      'running',
      'running',
    ]);
    expect(partitions.reduce((sum, partition) => sum + partition.deadLetters, 0)).toBe(2);
    const parked = await listSubscriptionDeadLetters(knex);
    expect(parked.map((letter) => [letter.streamId, letter.version, letter.code]).sort()).toEqual([
      ['too-big', 1, 'VALUE_REFUSED'],
      ['too-big', 2, 'BEHIND_DEAD_LETTER'],
    ]);
    expect(parked[0]?.message).not.toMatch(/insert|select|orders_view/i);
    expect(pod.output()).toMatch(/event parked as a dead letter/);
  });
});
