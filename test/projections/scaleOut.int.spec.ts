import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { projections } from '../../actors/projections/index.js';
import { createPostgresEventStore, query } from '../../src/eventStore/index.js';
import { projectionStatus } from '../../src/projections/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { appendOrders, foldOrderModels, orderIds, readOrderModels } from './support/orderHistories.js';
import { type SpawnedWorker, spawnProjectionWorker } from './support/spawnWorker.js';

/** Every partition of the sample's projections: one checkpoint each. */
const allPartitions = projections.reduce((sum, projection) => sum + projection.partitions, 0);

type Lease = { subscription: string; partition: number; owner: string | null };

describe('projections: scale-out over partitions', () => {
  let db: TestDatabase;
  const workers: SpawnedWorker[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await db.drop();
  });

  it('three workers share a 4-partition projection; a killed one’s partitions are taken over; nothing skipped or doubled', async () => {
    const knex = db.orm.em.getKnex();
    const store = createPostgresEventStore(db.orm, { schemas: domainEventSchemas });
    const leases = () =>
      query<Lease>(
        knex,
        `select subscription, partition, case when lease_expires_at > now() then owner end as owner
         from es_checkpoints order by subscription, partition`,
      );
    await appendOrders(store, orderIds(0, 300));
    for (const id of ['w1', 'w2', 'w3']) {
      workers.push(spawnProjectionWorker(db.url, id, { CHRONICLE_SUBSCRIPTION_BATCH_SIZE: '5' }));
    }
    // all three join; the first to start gives back what exceeds its share (2 of orders_view's 4)
    const balanced = await waitFor(
      async () => {
        const [joined] = await query<{ n: string }>(
          knex,
          `select count(*) as n from es_subscription_workers where subscription = 'orders_view'`,
        );
        const current = await leases();
        const ordersView = current.filter((lease) => lease.subscription === 'orders_view');
        const perOwner = new Map<string, number>();
        for (const lease of ordersView)
          if (lease.owner) perOwner.set(lease.owner, (perOwner.get(lease.owner) ?? 0) + 1);
        const fair = ordersView.every((lease) => lease.owner) && [...perOwner.values()].every((n) => n <= 2);
        return Number(joined?.n) === 3 && current.length === allPartitions && fair && current;
      },
      { what: 'three workers sharing the partitions', timeoutMs: 90_000, everyMs: 50 },
    );
    const victim = balanced.find((lease) => lease.subscription === 'orders_view')?.owner;
    const worker = workers.find((w) => w.id === victim);
    if (!victim || !worker) throw new Error('no orders_view partition owned');
    const orphaned = balanced
      .filter((lease) => lease.owner === victim)
      .map((l) => `${l.subscription}#${l.partition}`);

    // more events arrive while one pod dies
    const appending = appendOrders(store, orderIds(300, 150));
    await worker.kill('SIGKILL');
    await appending;
    const takenOver = await waitFor(
      async () => {
        const current = await leases();
        const theirs = current.filter((lease) =>
          orphaned.includes(`${lease.subscription}#${lease.partition}`),
        );
        return theirs.every((lease) => lease.owner && lease.owner !== victim) && theirs;
      },
      { what: `the partitions of ${victim} to be taken over`, timeoutMs: 15_000, everyMs: 50 },
    );
    expect(takenOver.map((lease) => lease.owner)).not.toContain(victim);

    await waitFor(
      async () =>
        (await projectionStatus(knex, domainEventSchemas, projections)).every(
          (partition) => partition.lag.events === 0,
        ),
      { what: 'the projections to catch up', timeoutMs: 40_000, everyMs: 100 },
    );
    // orders_view checks every row's version and order_totals counts: a skip or a double would show
    const status = await projectionStatus(knex, domainEventSchemas, projections);
    expect(status.filter((partition) => partition.state === 'failed')).toEqual([]);
    expect(await readOrderModels(knex)).toEqual(await foldOrderModels(knex));

    const exits = await Promise.all(workers.filter((w) => w !== worker).map((w) => w.kill('SIGTERM')));
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  });
});
