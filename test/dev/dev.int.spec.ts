import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podKinds } from '../../workers/pods/podKinds.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { type PodProcess, startPod } from '../support/processes.js';
import {
  createTestDatabase,
  dropQueuePrefix,
  type TestDatabase,
  testQueuePrefix,
} from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The UI address and key `chronicle dev` prints once everything runs. */
const bannerOf = async (dev: PodProcess) => {
  await dev.waitFor(/UI\s+http:\/\/\S+\/ui\/#key=\S+/, 120_000);
  const [, base, key] = dev.output().match(/UI\s+(http:\/\/[^/\s]+)\/ui\/#key=(\S+)/) ?? [];
  if (!base || !key) throw new Error(`no UI line in:\n${dev.output()}`);
  return { base, key };
};

type OrderCount = { shipping_status: string; payment_status: string; count: number };

describe('chronicle dev', () => {
  let db: TestDatabase;
  let prefix: string;
  let dev: PodProcess | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testQueuePrefix();
  });
  afterAll(async () => {
    await dev?.kill('SIGKILL');
    await db.drop();
    await dropQueuePrefix(redisUrl, prefix);
  });

  const startDev = (env: Record<string, string>, ...args: string[]) =>
    startPod(
      'workers/cli.ts',
      { DATABASE_URL: db.url, REDIS_URL: redisUrl, CHRONICLE_QUEUE_PREFIX: prefix, PORT: '0', ...env },
      ['dev', ...args],
    );

  it('runs every pod kind, serves /healthz and /ui/, takes a command with the printed key, projects it, and exits 0 on SIGINT', async () => {
    dev = startDev({});
    const { base, key } = await bannerOf(dev);
    // every pod kind of workers/pods/podKinds.ts, NATS included (it runs on this machine)
    expect(dev.output()).toContain(
      `chronicle dev: ${podKinds.map((pod) => pod.kind).join(', ')} running in this process`,
    );

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ui = await fetch(`${base}/ui/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('<h1>Chronicle</h1>');

    const sent = await fetch(`${base}/v1/commands?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({
        aggregateType: 'order',
        aggregateId: 'dev-1',
        type: 'PlaceOrder',
        payload: placeOrderPayload,
      }),
    });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ status: 'accepted', version: 1 });
    const unsigned = await fetch(`${base}/v1/orders`);
    expect(unsigned.status).toBe(401);

    const projected = await waitFor(
      async () => {
        const page = (await (await fetch(`${base}/v1/orders`, { headers: { 'x-api-key': key } })).json()) as {
          orders: { orderId: string }[];
        };
        return page.orders.find((order) => order.orderId === 'dev-1');
      },
      { timeoutMs: 30_000, everyMs: 200, what: 'dev-1 in orders_view' },
    );
    expect(projected).toMatchObject({ orderId: 'dev-1', paymentStatus: 'PENDING' });

    // logs are readable lines, not JSON
    expect(dev.output()).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}command /m);
    expect(dev.output()).not.toMatch(/^\{"level"/m);

    expect(await dev.kill('SIGINT')).toEqual({ code: 0, signal: null });
    expect(dev.output()).toMatch(/chronicle-dev stopped/);
  });

  it('with --traffic 20, orders go through the order-payment saga to its final states: delivered, declined, timed out', async () => {
    // named, so the connections dev opens can be told from this spec's own
    const devUrl = new URL(db.url);
    devUrl.searchParams.set('application_name', 'chronicle-dev-spec');
    dev = startDev({ ORDER_PAYMENT_TIMEOUT_MS: '10000', DATABASE_URL: devUrl.toString() }, '--traffic', '20');
    await bannerOf(dev);
    const connection = db.orm.em.getConnection();
    let mostConnections = 0;
    const finals = await waitFor(
      async () => {
        // the shared pool and the api's LISTEN carry the URL's name, the event-stream pods' LISTEN theirs
        const [held] = await connection.execute<{ count: number }[]>(
          `select count(*)::int as count from pg_stat_activity
            where datname = current_database()
              and (application_name = 'chronicle-dev-spec' or application_name like 'chronicle:%')`,
        );
        mostConnections = Math.max(mostConnections, held?.count ?? 0);
        const rows = await connection.execute<OrderCount[]>(
          `select shipping_status, payment_status, count(*)::int as count from orders_view
            group by shipping_status, payment_status`,
          [],
          'all',
        );
        const of = (shipping: string | undefined, payment: string) =>
          rows
            .filter(
              (row) => (!shipping || row.shipping_status === shipping) && row.payment_status === payment,
            )
            .reduce((sum, row) => sum + row.count, 0);
        const [timeouts] = await connection.execute<{ count: number }[]>(
          `select count(*)::int as count from es_events
            where type = 'OrderCancelled' and data->>'reason' = 'PAYMENT_TIMEOUT'`,
        );
        const reached = {
          delivered: of('DELIVERED', 'PAID'),
          declined: of(undefined, 'FAILED'),
          timedOut: timeouts?.count ?? 0,
        };
        return reached.delivered >= 3 && reached.declined >= 1 && reached.timedOut >= 1 ? reached : undefined;
      },
      { timeoutMs: 120_000, everyMs: 500, what: 'delivered, declined and timed-out orders' },
    );
    expect(finals.delivered).toBeGreaterThanOrEqual(3);
    // every pod kind on one pool: within the 20 a developer's shared PostgreSQL can spare
    expect(mostConnections).toBeGreaterThan(5);
    expect(mostConnections).toBeLessThanOrEqual(20);
    // the saga never cancels a paid order
    const [paidAndCancelled] = await connection.execute<{ count: number }[]>(
      `select count(*)::int as count from orders_view where payment_status = 'PAID' and shipping_status = 'CANCELLED'`,
    );
    expect(paidAndCancelled?.count).toBe(0);

    expect(await dev.kill('SIGINT')).toEqual({ code: 0, signal: null });
    const stopped = dev
      .output()
      .match(/traffic stopped sent=(\d+) accepted=(\d+) rejected=(\d+) failed=(\d+)/);
    expect(stopped).not.toBeNull();
    const [sentCount, accepted, , failed] = (stopped ?? []).slice(1).map(Number);
    expect(sentCount).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
    // rejections are the provider's commands arriving before the saga's RequestPayment: retried, never failed
    expect(failed).toBe(0);
    // it sent only what a payment provider and a warehouse would: never the order's payment commands
    expect(dev.output()).not.toMatch(/byType=\{[^}]*"(InitiatePayment|ConfirmPayment|FailPayment)"/);
  });
});
