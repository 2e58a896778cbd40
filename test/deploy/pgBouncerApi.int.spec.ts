import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates, processManagers } from '../../actors/index.js';
import { projections } from '../../actors/projections/index.js';
import { type ApiServer, createApiServer } from '../../src/http/index.js';
import { createLogger } from '../../src/logging/index.js';
import { type ProjectionWorker, runProjectionWorker } from '../../src/projections/index.js';
import { keys } from '../http/support/apiKeys.js';
import { call, withKey } from '../http/support/http.js';
import { testSettings } from '../http/support/inProcessApi.js';
import { fastSettings } from '../subscriptions/support.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { PGBOUNCER } from '../support/privatePgBouncer.js';
import { runToEnd } from '../support/processes.js';
import { waitFor } from '../support/waitFor.js';
import { type BehindPgBouncer, startBehindPgBouncer } from './support/behindPgBouncer.js';

/*
 * The api pod's engine (createApiServer, on a real port) behind a private PgBouncer in transaction
 * mode, with a command worker and the projection worker behind it too: a command over HTTP, then
 * every kind of read the api answers from PostgreSQL; and the CLI verbs that read the store, with
 * DATABASE_URL through the bouncer. pgBouncer.int.spec.ts says why the settings are what they are.
 */
describe.skipIf(!PGBOUNCER)('the api and the CLI behind PgBouncer in transaction mode', () => {
  let behind: BehindPgBouncer;
  let projectionWorker: ProjectionWorker | undefined;
  let server: ApiServer | undefined;
  let url: string;

  beforeAll(async () => {
    behind = await startBehindPgBouncer();
    await behind.path.startWorker({ config: behind.config });
    projectionWorker = await runProjectionWorker({
      aggregates,
      config: behind.config,
      projections,
      settings: fastSettings('bouncer-api-projections'),
    });
    server = await createApiServer({
      config: behind.config,
      settings: testSettings(),
      aggregates,
      processManagers,
      projections,
      logger: createLogger('api-test', { level: 'warn' }),
    });
    url = `http://127.0.0.1:${await server.listen()}`;
  });
  afterAll(async () => {
    await server?.close();
    await projectionWorker?.stop();
    await behind?.close();
  });

  const read = (route: string, key: string = keys.reader) =>
    call(`${url}${route}`, { headers: withKey(key) });
  const placeOverHttp = (aggregateId: string) =>
    call(`${url}/v1/commands?wait=true`, {
      json: { aggregateType: 'order', aggregateId, type: 'PlaceOrder', payload: placeOrderPayload },
      headers: withKey(keys.sender),
    });

  it('accepts commands over HTTP and answers each of its reads from the store and the read models', async () => {
    const orders = ['api-bouncer-1', 'api-bouncer-2', 'api-bouncer-3'];
    for (const id of orders) {
      const sent = await placeOverHttp(id);
      expect([sent.status, sent.body], sent.text).toEqual([
        200,
        expect.objectContaining({ status: 'accepted' }),
      ]);
    }
    // the read model, once the projection worker (also behind the bouncer) has them
    const listed = await waitFor(
      async () => {
        const page = await read('/v1/orders');
        const ids = (page.body as { orders?: { orderId: string }[] }).orders?.map((order) => order.orderId);
        return orders.every((id) => ids?.includes(id)) && page;
      },
      { what: 'the orders in /v1/orders', timeoutMs: 60_000 },
    );
    expect(listed.status).toBe(200);

    const state = await read(`/v1/aggregates/order/${orders[0]}`);
    expect([state.status, state.body], state.text).toEqual([200, expect.objectContaining({ version: 1 })]);
    const history = await read(`/v1/aggregates/order/${orders[0]}/events`);
    expect(history.status, history.text).toBe(200);
    expect((history.body as { events: { type: string }[] }).events.map((event) => event.type)).toEqual([
      'OrderPlaced',
    ]);
    const atVersion = await read(`/v1/aggregates/order/${orders[0]}/at/1`);
    expect(atVersion.status, atVersion.text).toBe(200);

    const feed = await read('/v1/events?type=OrderPlaced');
    expect(feed.status, feed.text).toBe(200);
    expect((feed.body as { events: { streamId: string }[] }).events.map((event) => event.streamId)).toEqual(
      orders,
    );
    const stats = await read('/v1/stats');
    expect([stats.status, stats.body], stats.text).toEqual([
      200,
      expect.objectContaining({ events: 3, eventTypes: { OrderPlaced: 3 } }),
    ]);
    const status = await read('/v1/projections', keys.admin);
    expect(status.status, status.text).toBe(200);
    const names = (status.body as { projections: { name: string; state: string }[] }).projections;
    expect(names.map((projection) => projection.name)).toEqual(
      expect.arrayContaining(projections.map((projection) => projection.name)),
    );
  });

  it('runs `chronicle stats` and `chronicle projections status` through it', async () => {
    const chronicle = (...args: string[]) => runToEnd('workers/cli.ts', { env: behind.podEnv, args });
    const stats = await chronicle('stats');
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ events: 3, eventTypes: { OrderPlaced: 3 } });
    const status = await chronicle('projections', 'status');
    expect(status.code, status.stderr).toBe(0);
    const partitions = status.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string; state: string });
    // every projection's partitions (and the outbox's, which no pod runs here)
    expect([...new Set(partitions.map((partition) => partition.name))]).toEqual(
      expect.arrayContaining(projections.map((projection) => projection.name)),
    );
  });
});
