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

describe('projections: exactly once through a crash', () => {
  let db: TestDatabase;
  const workers: SpawnedWorker[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await db.drop();
  });

  const caughtUp = async () => {
    const status = await projectionStatus(db.orm.em.getKnex(), domainEventSchemas, projections);
    return status.length === allPartitions && status.every((partition) => partition.lag.events === 0);
  };

  it('given a worker killed (SIGKILL) mid-batch and another started, orders_view and order_totals equal a fold of the events', async () => {
    const knex = db.orm.em.getKnex();
    const store = createPostgresEventStore(db.orm, { schemas: domainEventSchemas });
    const appended = await appendOrders(store, orderIds(0, 600));
    expect(appended).toBeGreaterThan(1_500);

    const first = spawnProjectionWorker(db.url, 'doomed', { CHRONICLE_SUBSCRIPTION_BATCH_SIZE: '7' });
    workers.push(first);
    // kill it in the middle of a batch transaction, once some checkpoints have moved
    await waitFor(
      async () => {
        const [row] = await query<{ moved: string; open: string }>(
          knex,
          `select (select count(*) from es_checkpoints where global_position > 0) as moved,
             (select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
                and backend_type = 'client backend' and xact_start is not null) as open`,
        );
        return Number(row?.moved ?? 0) >= 3 && Number(row?.open ?? 0) > 0;
      },
      { what: 'the first worker to be mid-batch', timeoutMs: 30_000, everyMs: 2 },
    );
    const killed = await first.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect(await caughtUp()).toBe(false);

    // events keep coming while no worker runs
    await appendOrders(store, orderIds(600, 100));
    const second = spawnProjectionWorker(db.url, 'survivor', { CHRONICLE_SUBSCRIPTION_BATCH_SIZE: '50' });
    workers.push(second);
    // the dead worker's leases expire, the new one takes them over and catches up
    await waitFor(caughtUp, { what: 'the projections to catch up', timeoutMs: 40_000, everyMs: 100 });

    expect(await readOrderModels(knex)).toEqual(await foldOrderModels(knex));

    // SIGTERM: it finishes the batch in hand, gives its leases back and exits 0
    const stopped = await second.kill('SIGTERM');
    expect(stopped, second.output()).toEqual({ code: 0, signal: null });
    const owned = await query(knex, 'select * from es_checkpoints where owner is not null');
    expect(owned).toEqual([]);
  });
});
