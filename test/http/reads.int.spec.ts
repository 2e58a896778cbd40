import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates, domainEventSchemas } from '../../actors/index.js';
import { projections } from '../../actors/projections/index.js';
import { shardFor, shardQueueName } from '../../src/commands/index.js';
import { defaultSubscriptionSettings } from '../../src/config/index.js';
import { createPostgresEventStore } from '../../src/eventStore/index.js';
import type { ApiServer } from '../../src/http/index.js';
import { type ProjectionWorker, runProjectionWorker } from '../../src/projections/index.js';

import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { keys } from './support/apiKeys.js';
import { call, withKey } from './support/http.js';
import { startInProcessApi } from './support/inProcessApi.js';

let path: CommandPath;
let server: ApiServer;
let url: string;
let projectionWorker: ProjectionWorker | undefined;

beforeAll(async () => {
  path = await createCommandPath();
  ({ server, url } = await startInProcessApi(path.config));
});

afterAll(async () => {
  await projectionWorker?.stop();
  await server?.close();
  await path?.close();
});

const read = (route: string, key: string = keys.reader) => call(`${url}${route}`, { headers: withKey(key) });
const admin = (route: string) => call(`${url}${route}`, { method: 'POST', headers: withKey(keys.admin) });
const send = (aggregateId: string, type: string, payload: unknown = {}, wait = true) =>
  call(`${url}/v1/commands${wait ? '?wait=true' : ''}`, {
    json: { aggregateType: 'order', aggregateId, type, payload },
    headers: withKey(keys.sender),
  });

describe('dead letters', () => {
  it('lists a command that failed for good with its reason, and retries it on an admin request', async () => {
    const enqueued = await send('dl-1', 'PlaceOrder', placeOrderPayload, false);
    const { commandId } = enqueued.body as { commandId: string };
    // a worker that fails it for good, as the command worker does with a failure retrying cannot fix
    const name = shardQueueName(shardFor('order', 'dl-1', path.config.shards));
    const connection = new Redis(path.config.redisUrl, { maxRetriesPerRequest: null });
    const failing = new Worker(
      name,
      async () => {
        throw new UnrecoverableError('VALUE_REFUSED: PostgreSQL refused a value (SQLSTATE 22003)');
      },
      { connection, prefix: path.config.queuePrefix },
    );
    const queue = new Queue(name, { connection, prefix: path.config.queuePrefix });
    for (let tries = 0; tries < 100 && (await queue.getFailedCount()) === 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await failing.close();
    await queue.close();
    await connection.quit();

    const listed = await read('/v1/dead-letters', keys.admin);
    expect(listed.body).toEqual({
      deadLetters: [
        expect.objectContaining({
          commandId,
          aggregateType: 'order',
          aggregateId: 'dl-1',
          code: 'VALUE_REFUSED',
          reason: 'PostgreSQL refused a value (SQLSTATE 22003)',
        }),
      ],
    });
    expect((await read('/v1/stats')).body).toMatchObject({ commands: { deadLetters: 1 } });
    expect((await read(`/v1/commands/${commandId}`)).body).toMatchObject({ status: 'failed' });
    expect(
      (
        await call(`${url}/v1/dead-letters/${commandId}/retry`, {
          method: 'POST',
          headers: withKey(keys.reader),
        })
      ).status,
    ).toBe(403);
    expect((await admin(`/v1/dead-letters/${commandId}/retry`)).body).toEqual({
      status: 'retried',
      commandId,
    });
    expect((await admin(`/v1/dead-letters/${commandId}/retry`)).status).toBe(409);
    expect((await admin('/v1/dead-letters/no-such-command/retry')).status).toBe(404);

    await path.startWorker();
    let status: { status?: string } = {};
    for (let tries = 0; tries < 100 && status.status !== 'done'; tries++) {
      status = (await read(`/v1/commands/${commandId}`)).body as typeof status;
      if (status.status !== 'done') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toMatchObject({ status: 'done', result: { status: 'accepted' } });
    expect((await read('/v1/dead-letters', keys.admin)).body).toEqual({ deadLetters: [] });
  });
});

describe('reads', () => {
  beforeAll(async () => {
    for (const id of ['r-1', 'r-2', 'r-3']) await send(id, 'PlaceOrder', placeOrderPayload);
    await send('r-1', 'InitiatePayment');
    await send('r-1', 'ConfirmPayment');
  });

  it("serves an aggregate's state, its events and its state at any version", async () => {
    expect((await read('/v1/aggregates/order/r-1')).body).toMatchObject({
      version: 3,
      value: { placed: { payment: 'paid', shipping: 'waitingForShipment' } },
    });
    const events = (await read('/v1/aggregates/order/r-1/events?fromVersion=2')).body as {
      version: number;
      events: { version: number }[];
    };
    expect([events.version, events.events.map((e) => e.version)]).toEqual([3, [2, 3]]);
    expect((await read('/v1/aggregates/order/r-1/at/1')).body).toMatchObject({
      version: 1,
      headVersion: 3,
      activePaths: [
        'placed',
        'placed.payment',
        'placed.payment.pending',
        'placed.shipping',
        'placed.shipping.waitingForPayment',
      ],
    });
    expect((await read('/v1/aggregates/order/r-1/at/4')).status).toBe(400);
    expect((await read('/v1/aggregates/order/nobody')).status).toBe(404);
    expect((await read('/v1/aggregates/order/nobody/events')).status).toBe(404);
    expect((await read('/v1/aggregates/spaceship/r-1')).status).toBe(404);
  });

  it('answers 400 naming the parameter, never 500, for what PostgreSQL cannot hold', async () => {
    const refused = async (route: string, parameter: string) => {
      const answer = await read(route);
      expect([answer.status, (answer.body as { code?: string }).code], `${route}: ${answer.text}`).toEqual([
        400,
        'INVALID_REQUEST',
      ]);
      expect((answer.body as { message: string }).message).toContain(parameter);
    };
    // times before year 1 or after 9999 (in UTC) have no ISO 8601 form PostgreSQL reads back
    await refused('/v1/aggregates/order/r-1/at?time=0000-01-01T00:00:00Z', 'time');
    await refused('/v1/aggregates/order/r-1/at?time=9999-12-31T23:59:59-23:59', 'time');
    // the edges themselves are read: the first and last time, a page from the last version
    expect((await read('/v1/aggregates/order/r-1/at?time=0001-01-01T00:00:00Z')).status).toBe(404);
    expect((await read('/v1/aggregates/order/r-1/at?time=9999-12-31T23:59:59Z')).body).toMatchObject({
      version: 3,
    });
    const last = await read('/v1/aggregates/order/r-1/events?fromVersion=2147483647&limit=1000');
    expect([last.status, last.body]).toMatchObject([200, { version: 3, events: [] }]);
  });

  it('pages through the global feed by position', async () => {
    const seen: string[] = [];
    let after = 0;
    for (let page = 0; page < 10; page++) {
      const body = (await read(`/v1/events?limit=2&after=${after}`)).body as {
        events: { type: string }[];
        next: number;
      };
      seen.push(...body.events.map((e) => e.type));
      if (body.events.length === 0) break;
      after = body.next;
    }
    expect(seen.filter((type) => type === 'OrderPlaced')).toHaveLength(4);
    expect(seen).toContain('OrderPaid');
    const paid = (await read('/v1/events?type=OrderPaid&aggregateType=order')).body as { events: unknown[] };
    expect(paid.events).toHaveLength(1);
  });

  it('serves the order read models once the projections caught up, and their status', async () => {
    projectionWorker = await runProjectionWorker({
      aggregates,
      config: path.config,
      projections,
      settings: { ...defaultSubscriptionSettings(), pollIntervalMs: 100, leaseTtlMs: 1_500 },
    });
    let status: { projections: { name: string; lag: { events: number }; state: string }[] } = {
      projections: [],
    };
    for (let tries = 0; tries < 100; tries++) {
      status = (await read('/v1/projections')).body as typeof status;
      if (status.projections.every((p) => p.lag.events === 0 && p.state === 'running')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status.projections.map((p) => [p.name, p.state, p.lag.events])).toEqual([
      ['orders_view', 'running', 0],
      ['order_totals', 'running', 0],
      ['products_view', 'running', 0],
    ]);
    const paid = (await read('/v1/orders?status=PAID')).body as { orders: { orderId: string }[] };
    expect(paid.orders.map((o) => o.orderId)).toEqual(['r-1']);
    const page = (await read('/v1/orders?limit=2&offset=0')).body as { orders: unknown[]; total: number };
    expect([page.orders.length, page.total]).toEqual([2, 4]);
    expect((await read('/v1/orders/totals')).body).toMatchObject({ totalOrders: 4 });
    expect((await admin('/v1/projections/order_totals/retry')).body).toEqual({
      status: 'nothing-failed',
      name: 'order_totals',
    });
    const rebuilt = await admin('/v1/projections/order_totals/rebuild?wait=true');
    expect([rebuilt.status, (rebuilt.body as { status: string }).status]).toEqual([200, 'rebuilt']);
    expect((await read('/v1/orders/totals')).body).toMatchObject({ totalOrders: 4 });
    expect((await admin('/v1/projections/nope/rebuild')).status).toBe(404);
  });

  it('serves snapshots, stats and machines', async () => {
    expect((await read('/v1/snapshots/order/r-1')).status).toBe(404);
    const store = createPostgresEventStore(path.db.orm, { schemas: domainEventSchemas });
    const { order } = await import('../../actors/index.js');
    await store.writeSnapshot({
      streamType: 'order',
      streamId: 'r-1',
      version: 3,
      machineHash: order.machineHash,
      state: { value: { placed: { payment: 'paid', shipping: 'waitingForShipment' } }, context: {} },
    });
    expect((await read('/v1/snapshots/order/r-1')).body).toMatchObject({ version: 3, current: true });
    expect((await read('/v1/stats')).body).toMatchObject({
      events: 6,
      streams: 4,
      aggregates: { order: { streams: 4, events: 6 } },
    });
    const machines = (await read('/v1/machines')).body as { machines: { aggregateType: string }[] };
    expect(machines.machines.map((m) => m.aggregateType)).toEqual([
      'order',
      'payment',
      'user',
      'product',
      'order-payment',
    ]);
    const machine = (await read('/v1/machines/order')).body as {
      mermaid: string;
      mermaidIds: Record<string, string>;
    };
    expect(machine.mermaid).toMatch(/^stateDiagram-v2\n/);
    expect(machine.mermaidIds['placed.payment.paid']).toBe('placed__payment__paid');
    expect((await read('/v1/machines/spaceship')).status).toBe(404);
  });
});
