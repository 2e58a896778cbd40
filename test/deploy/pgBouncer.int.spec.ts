import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates, domainEventSchemas } from '../../actors/index.js';
import { ordersView } from '../../actors/projections/index.js';
import type { ChronicleConfig } from '../../src/config/index.js';
import { createPostgresEventStore } from '../../src/eventStore/index.js';
import { type ProjectionWorker, runProjectionWorker } from '../../src/projections/index.js';
import {
  appendOrders,
  foldOrdersView,
  orderIds,
  readOrdersView,
} from '../projections/support/orderHistories.js';
import { fastSettings } from '../subscriptions/support.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { PGBOUNCER, type PrivatePgBouncer, startPrivatePgBouncer } from '../support/privatePgBouncer.js';
import { waitFor } from '../support/waitFor.js';

if (!PGBOUNCER)
  console.warn(
    "pgBouncer spec skipped: Debian's pgbouncer is not installed (apt-get install pgbouncer; .ci/run does)",
  );

/*
 * A private PgBouncer in transaction mode, four server connections, in front of the shared
 * PostgreSQL: each transaction of a client may run on another server connection, where a statement
 * prepared on the last one does not exist (26000). The pods run through it with named prepared
 * statements off (DATABASE_PREPARED_STATEMENTS=false) and their LISTEN session straight to
 * PostgreSQL (DATABASE_LISTEN_URL): a LISTEN needs a session of its own.
 */
describe.skipIf(!PGBOUNCER)('pods behind PgBouncer in transaction mode', () => {
  let path: CommandPath;
  let bouncer: PrivatePgBouncer;
  let projections: ProjectionWorker | undefined;
  let behind: ChronicleConfig;

  beforeAll(async () => {
    path = await createCommandPath();
    const url = new URL(path.db.url);
    bouncer = await startPrivatePgBouncer({ host: url.hostname, port: Number(url.port || 5432) });
    behind = {
      ...path.config,
      databaseUrl: bouncer.urlFor(path.db.url),
      databaseListenUrl: path.db.url,
      databasePreparedStatements: false,
    };
  });
  afterAll(async () => {
    await projections?.stop();
    await path?.close();
    await bouncer?.stop();
  });

  it('given a command worker through it, accepts every command of twelve orders (none dead-lettered), each decided on a hydrated stream', async () => {
    await path.startWorker({ config: behind });
    const orders = Array.from({ length: 12 }, (_, i) => `bouncer-${i}`);
    const placed = await Promise.all(orders.map((id) => path.client.send(placeOrder(id), { wait: true })));
    expect(placed.map((result) => result.status)).toEqual(orders.map(() => 'accepted'));
    // the next command of each hydrates its stream (readToFold) before deciding
    const paying = await Promise.all(
      orders.map((id) => path.client.send(paymentAttempt(id, 1), { wait: true })),
    );
    expect(paying.map((result) => result.status)).toEqual(orders.map(() => 'accepted'));
  });

  it('given a projection worker through it, builds orders_view as the events say, batch after batch', async () => {
    const store = createPostgresEventStore(path.db.orm, { schemas: domainEventSchemas });
    await appendOrders(store, orderIds(0, 60));
    projections = await runProjectionWorker({
      aggregates,
      config: behind,
      projections: [ordersView],
      settings: fastSettings('bouncer-projections', { batchSize: 20 }),
    });
    const knex = path.db.orm.em.getKnex();
    const expected = await foldOrdersView(knex);
    // every order at its last event: the projection has handled every batch
    await waitFor(async () => isDeepStrictEqual(await readOrdersView(knex), expected), {
      timeoutMs: 60_000,
    });
    expect(await readOrdersView(knex)).toEqual(expected);
  });
});
