import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { ordersView } from '../../actors/projections/index.js';
import { projectionStatus } from '../../src/projections/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { type SpawnedWorker, spawnProjectionWorker } from './support/spawnWorker.js';

describe('projections status after a worker is killed', () => {
  let db: TestDatabase;
  let pod: SpawnedWorker | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await pod?.kill('SIGKILL');
    await db.drop();
  });

  it('shows its partitions unowned as soon as its connections are gone, long before its leases expire', async () => {
    const knex = db.orm.em.getKnex();
    // a lease far longer than the test may wait: only the dropped connections can tell
    pod = spawnProjectionWorker(db.url, 'doomed', {
      CHRONICLE_PROJECTIONS: 'orders_view',
      CHRONICLE_SUBSCRIPTION_LEASE_MS: '600000',
    });
    await waitFor(
      async () =>
        (await projectionStatus(knex, domainEventSchemas, [ordersView])).every(
          (partition) => partition.state === 'running',
        ),
      { what: 'the partitions running', timeoutMs: 90_000 },
    );
    await pod.kill('SIGKILL');
    const partitions = await waitFor(async () => {
      const status = await projectionStatus(knex, domainEventSchemas, [ordersView]);
      return status.every((partition) => partition.state === 'unowned') && status;
    });
    expect(partitions.map((partition) => partition.state === 'unowned' && partition.lastOwner)).toEqual(
      Array(4).fill('doomed'),
    );
  });
});
