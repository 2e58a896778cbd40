import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { ordersView } from '../../actors/projections/index.js';
import { projectionStatus } from '../../src/projections/index.js';
import { PGBOUNCER, type PrivatePgBouncer, startPrivatePgBouncer } from '../support/privatePgBouncer.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { type SpawnedWorker, spawnProjectionWorker } from './support/spawnWorker.js';

describe('projections status after a worker is killed', () => {
  let db: TestDatabase;
  let pod: SpawnedWorker | undefined;
  let bouncer: PrivatePgBouncer | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await pod?.kill('SIGKILL');
    await bouncer?.stop();
    await db.drop();
  });

  /** Starts a worker, waits for its partitions to run, kills it: its partitions must read unowned. */
  const killedShowsUnowned = async (databaseUrl: string, env: Record<string, string> = {}) => {
    const knex = db.orm.em.getKnex();
    // a lease far longer than the test may wait: only the dropped connections can tell
    pod = spawnProjectionWorker(databaseUrl, 'doomed', {
      CHRONICLE_PROJECTIONS: 'orders_view',
      CHRONICLE_SUBSCRIPTION_LEASE_MS: '600000',
      ...env,
    });
    await waitFor(
      async () =>
        (await projectionStatus(knex, domainEventSchemas, [ordersView])).every(
          (partition) => partition.state === 'running',
        ),
      { what: 'the partitions running', timeoutMs: 90_000 },
    );
    await pod.kill('SIGKILL');
    pod = undefined;
    const partitions = await waitFor(async () => {
      const status = await projectionStatus(knex, domainEventSchemas, [ordersView]);
      return status.every((partition) => partition.state === 'unowned') && status;
    });
    expect(partitions.map((partition) => partition.state === 'unowned' && partition.lastOwner)).toEqual(
      Array(4).fill('doomed'),
    );
  };

  it('shows its partitions unowned as soon as its connections are gone, long before its leases expire', async () => {
    await killedShowsUnowned(db.url);
  });

  /*
   * Behind PgBouncer in transaction mode, the bouncer's idle server connections keep the dead
   * pod's application_name: only its LISTEN session, straight to PostgreSQL, can tell.
   */
  describe.skipIf(!PGBOUNCER)('behind PgBouncer in transaction mode', () => {
    it('shows them unowned as soon as its LISTEN session is gone, though the bouncer keeps its name', async () => {
      const url = new URL(db.url);
      bouncer = await startPrivatePgBouncer({ host: url.hostname, port: Number(url.port || 5432) });
      await killedShowsUnowned(bouncer.urlFor(db.url), {
        DATABASE_LISTEN_URL: db.url,
        DATABASE_PREPARED_STATEMENTS: 'false',
      });
    });
  });
});
