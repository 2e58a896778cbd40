import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection, PermissionViolationError } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates } from '../../actors/index.js';
import { startTestTelemetry, type TestTelemetry } from '../../otel/index.js';
import { type CommandReply, decodePublishedEvent } from '../../src/broker/index.js';
import { defaultNatsConfig } from '../../src/config/index.js';
import { isChronicleError } from '../../src/errors/index.js';
import { connectNats, type NatsWorker, runNatsWorker } from '../../src/nats/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { type PrivateNatsServer, startPrivateNatsServer } from '../support/natsServer.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { sample } from '../support/prometheusSample.js';
import { waitFor } from '../support/waitFor.js';

/** The configuration docker-compose.yml runs NATS with. */
const shippedConfig = fileURLToPath(new URL('../../deploy/nats/nats-server.conf', import.meta.url));
const STREAM = 'CHRONICLE_EVENTS';
// nats-server reads a variable's value as configuration: a password starting with a digit is a number
const password = () => `p${randomBytes(12).toString('hex')}`;
const passwords = { chronicle: password(), shop: password(), billing: password() };

describe('NATS run with the shipped configuration: who may publish what', () => {
  let nats: PrivateNatsServer;
  let path: CommandPath;
  let worker: NatsWorker;
  let telemetry: TestTelemetry;
  const clients: NatsConnection[] = [];

  /** A client logged in as `user`, and the permission violations the server reports to it. */
  const login = async (user: keyof typeof passwords) => {
    const nc = await connect({ servers: nats.url, user, pass: passwords[user] });
    clients.push(nc);
    const violations: PermissionViolationError[] = [];
    void (async () => {
      for await (const status of nc.status())
        if (status.type === 'error' && status.error instanceof PermissionViolationError)
          violations.push(status.error);
    })();
    return { nc, violations };
  };

  const refusedCount = (code: string) =>
    telemetry
      .metricsHandler()
      .then(
        (text) =>
          sample(text, 'chronicle_nats_commands_refused_total', { chronicle_rejection_code: code }) ?? 0,
      );

  const storedEvents = async () =>
    (await (await jetstreamManager((await login('chronicle')).nc)).streams.info(STREAM)).state.messages;

  beforeAll(async () => {
    telemetry = startTestTelemetry();
    // given NATS run with deploy/nats/nats-server.conf, and a nats pod logged in as its bridge
    // user, taking commands from shop (order commands only)
    nats = await startPrivateNatsServer({
      config: shippedConfig,
      env: {
        NATS_CHRONICLE_PASSWORD: passwords.chronicle,
        NATS_SHOP_PASSWORD: passwords.shop,
        NATS_BILLING_PASSWORD: passwords.billing,
      },
    });
    path = await createCommandPath();
    await path.startWorker();
    worker = await runNatsWorker({
      aggregates,
      config: path.config,
      nats: {
        ...defaultNatsConfig,
        url: nats.url,
        access: { credentials: { kind: 'password', user: 'chronicle', password: passwords.chronicle } },
        senders: [{ user: 'shop', roles: ['commands:send:order'] }],
      },
      settings: fastSettings('nats-authentication'),
    });
  });
  afterAll(async () => {
    for (const nc of clients) await nc.close();
    await worker?.stop();
    await path?.close();
    await nats?.close();
    await telemetry?.shutdown();
  });

  it('refuses a client without credentials, and a pod whose password is wrong', async () => {
    await expect(connect({ servers: nats.url, reconnect: false })).rejects.toThrow(/Authorization Violation/);
    const wrong = { credentials: { kind: 'password', user: 'chronicle', password: 'not-it' } } as const;
    const refused = await connectNats(nats.url, 'wrong password', wrong).catch((error: unknown) => error);
    expect(isChronicleError(refused, 'CONFIGURATION')).toBe(true);
    expect((refused as Error).message).toMatch(/refused the pod's credentials \(password\)/);
  });

  it("runs a permitted user's command, issued by its principal, and lets a reader consume the event", async () => {
    // when shop sends PlaceOrder on its own subject
    const { nc: shop } = await login('shop');
    const reply = await shop.request(
      'chronicle.commands.shop.order.PlaceOrder',
      JSON.stringify({ aggregateId: 'auth-1', payload: placeOrderPayload }),
      { timeout: 20_000 },
    );
    // then it is accepted, issued by nats:shop
    const result = reply.json<CommandReply>();
    expect(result).toMatchObject({ status: 'accepted', version: 1 });
    if (result.status !== 'accepted') return;
    expect(result.events[0]?.metadata.issuedBy).toBe('nats:shop');
    // and billing, a reader, consumes it from the stream the pod published it to
    const { nc: billing } = await login('billing');
    await (await jetstreamManager(billing)).consumers.add(STREAM, {
      durable_name: 'billing',
      ack_policy: AckPolicy.Explicit,
    });
    const consumer = await jetstream(billing).consumers.get(STREAM, 'billing');
    const message = await waitFor(() => consumer.next({ expires: 2_000 }).then((msg) => msg ?? undefined), {
      what: 'the event, read by billing',
    });
    const event = decodePublishedEvent(message.data);
    expect(event).toMatchObject({ streamId: 'auth-1', type: 'OrderPlaced' });
    expect(event.metadata.issuedBy).toBe('nats:shop');
    message.ack();
  });

  it('refuses a forged event: only the bridge publishes on chronicle.events.>', async () => {
    const before = await storedEvents();
    // when shop and billing publish an event, and billing tries to delete the stream
    for (const user of ['shop', 'billing'] as const) {
      const { nc, violations } = await login(user);
      nc.publish('chronicle.events.order.OrderPlaced', JSON.stringify({ forged: true }));
      // then the server refuses it as a permission violation
      await waitFor(() => violations.some((v) => v.operation === 'publish'), { what: `${user}'s refusal` });
      expect(violations[0]?.subject).toBe('chronicle.events.order.OrderPlaced');
    }
    const { nc: billing } = await login('billing');
    await expect((await jetstreamManager(billing)).streams.delete(STREAM)).rejects.toThrow();
    // and the stream holds what it held
    expect(await storedEvents()).toBe(before);
  });

  it('refuses a command from a user without the role, by server permission or by the pod', async () => {
    // when billing (no command subject of its own) sends a command, and shop sends one as another user
    const { nc: billing, violations: billingViolations } = await login('billing');
    billing.publish('chronicle.commands.billing.order.PlaceOrder', JSON.stringify({ aggregateId: 'auth-2' }));
    const { nc: shop, violations: shopViolations } = await login('shop');
    shop.publish('chronicle.commands.admin.order.PlaceOrder', JSON.stringify({ aggregateId: 'auth-3' }));
    // then the server refuses both
    await waitFor(() => billingViolations.length > 0 && shopViolations.length > 0, {
      what: 'both refused by the server',
    });
    expect(billingViolations[0]?.subject).toBe('chronicle.commands.billing.order.PlaceOrder');
    expect(shopViolations[0]?.subject).toBe('chronicle.commands.admin.order.PlaceOrder');
    // when shop, whose role is order commands only, sends a payment command on its own subject
    const before = await refusedCount('FORBIDDEN');
    const reply = await shop.request(
      'chronicle.commands.shop.payment.RequestPayment',
      JSON.stringify({ aggregateId: 'auth-4', payload: {} }),
      { timeout: 20_000 },
    );
    // then the pod refuses it, and counts the refusal
    expect(reply.json<CommandReply>()).toMatchObject({
      status: 'rejected',
      code: 'FORBIDDEN',
      message: 'nats:shop may not send commands to "payment"',
    });
    await waitFor(async () => (await refusedCount('FORBIDDEN')) === before + 1, {
      what: 'the refusal counted',
    });
    // and nothing of theirs ran
    const streams = await path.db.orm.em
      .getKnex()
      .raw<{ rows: { stream_id: string }[] }>(
        "select stream_id from es_events where stream_id like 'auth-%'",
      );
    expect(streams.rows.map((row) => row.stream_id)).toEqual(['auth-1']);
  });
});
