import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates } from '../../actors/index.js';
import { startTestTelemetry, type TestTelemetry } from '../../otel/index.js';
import type { CommandReply } from '../../src/broker/index.js';
import { defaultNatsConfig } from '../../src/config/index.js';
import { type NatsWorker, runNatsWorker } from '../../src/nats/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { sample } from '../support/prometheusSample.js';
import { waitFor } from '../support/waitFor.js';
import { deleteStream, natsNames, readStoredMessages, storedCount } from './support.js';

const NATS_URL = process.env.CHRONICLE_NATS_URL ?? 'nats://127.0.0.1:4222';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const spanIdOf = (traceparent: string | undefined) => traceparent?.split('-')[2];

describe('commands in over NATS request/reply', () => {
  let path: CommandPath;
  let worker: NatsWorker;
  let nc: NatsConnection;
  let telemetry: TestTelemetry;
  const names = natsNames();
  const logged: { object: object; message: string }[] = [];
  const log = (object: object, message = '') => logged.push({ object, message });

  beforeAll(async () => {
    telemetry = startTestTelemetry();
    // given a command worker and a nats engine on the shared NATS, under this test's own subjects
    path = await createCommandPath();
    await path.startWorker();
    worker = await runNatsWorker({
      aggregates,
      config: path.config,
      nats: {
        ...defaultNatsConfig,
        url: NATS_URL,
        ...names,
        senders: [{ user: 'tester', roles: ['commands:send'] }],
      },
      settings: fastSettings('nats-commands'),
      logger: { info: log, warn: log, error: log },
    });
    nc = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await nc?.close();
    await worker?.stop();
    await path?.close();
    await telemetry?.shutdown();
    await deleteStream(NATS_URL, names.stream);
  });

  const request = async (
    aggregateType: string,
    type: string,
    body: unknown,
    extra: Record<string, string> = {},
  ): Promise<CommandReply> => {
    const hdrs = headers();
    for (const [name, value] of Object.entries(extra)) hdrs.set(name, value);
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const reply = await nc.request(`${names.subjectPrefix}.commands.tester.${aggregateType}.${type}`, raw, {
      timeout: 20_000,
      headers: hdrs,
    });
    return reply.json<CommandReply>();
  };

  const versionOf = async (id: string) => {
    const [row] = await path.db.orm.em
      .getKnex()
      .raw<{ rows: { version: number | null }[] }>(
        "select max(version) as version from es_events where stream_type = 'order' and stream_id = ?",
        [id],
      )
      .then((result) => result.rows);
    return row?.version ?? 0;
  };

  it("answers an accepted command with its result, every hop in the caller's trace", async () => {
    const reply = await request(
      'order',
      'PlaceOrder',
      { aggregateId: 'n-1', payload: placeOrderPayload },
      { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` },
    );
    expect(reply).toMatchObject({ status: 'accepted', aggregateId: 'n-1', version: 1 });
    if (reply.status !== 'accepted') return;
    const appended = reply.events[0];
    // the command entry continued the caller's trace: the events were appended in it
    expect(appended?.metadata.traceparent).toContain(TRACE_ID);
    const entry = telemetry
      .spans()
      .find((span) => span.name === `process ${names.subjectPrefix}.commands.tester.order.PlaceOrder`);
    expect(entry?.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    // the outbox published it in a span whose parent is the append, and sent that span's context
    await waitFor(async () => (await storedCount(NATS_URL, names.stream)) >= 1);
    const messages = await readStoredMessages(NATS_URL, names.stream);
    const published = messages.find((m) => m.event.eventId === appended?.eventId);
    expect(published?.subject).toBe(`${names.subjectPrefix}.events.order.OrderPlaced`);
    expect(published?.headers.traceparent).toContain(TRACE_ID);
    const publish = await waitFor(() =>
      telemetry
        .spans()
        .find((span) => span.spanContext().spanId === spanIdOf(published?.headers.traceparent)),
    );
    expect(publish.name).toBe(`publish ${names.subjectPrefix}.events.order.OrderPlaced`);
    expect(publish.parentSpanContext?.spanId).toBe(spanIdOf(appended?.metadata.traceparent));
  });

  it('answers a command the state does not allow with its typed rejection', async () => {
    await request('order', 'PlaceOrder', { aggregateId: 'n-2', payload: placeOrderPayload });
    const reply = await request('order', 'ConfirmPayment', { aggregateId: 'n-2' });
    expect(reply).toMatchObject({ status: 'rejected', code: 'INVALID_TRANSITION' });
  });

  it('answers an invalid payload, a malformed body and a body of the wrong shape with VALIDATION', async () => {
    expect(
      await request('order', 'PlaceOrder', { aggregateId: 'n-3', payload: { quantity: 'two' } }),
    ).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(await request('order', 'PlaceOrder', '{"aggregateId": "n-3",')).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      message: expect.stringMatching(/not JSON/),
    });
    expect(await request('order', 'PlaceOrder', { id: 'n-3', payload: placeOrderPayload })).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
    });
    expect(
      await request('order', 'PlaceOrder', { aggregateId: 'has spaces', payload: placeOrderPayload }),
    ).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      message: expect.stringMatching(/aggregateId/),
    });
    // a NUL or a lone surrogate PostgreSQL's jsonb cannot hold is refused at the edge, as over HTTP
    expect(
      await request('order', 'PlaceOrder', '{"aggregateId":"n-3","payload":{"customerId":"a\\u0000b"}}'),
    ).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(
      await request('order', 'PlaceOrder', {
        aggregateId: 'n-3',
        correlationId: 'x\ud800',
        payload: placeOrderPayload,
      }),
    ).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      message: expect.stringMatching(/correlationId/),
    });
    expect(await versionOf('n-3')).toBe(0);
  });

  it('answers a null payload with VALIDATION: null is a payload its schema judges, not an empty one', async () => {
    const nothing = await request('order', 'ConfirmPayment', { aggregateId: 'n-null', payload: null });
    expect(nothing).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(await versionOf('n-null')).toBe(0);
  });

  it('answers an unknown aggregate and an unknown command with their codes', async () => {
    const unknown = await request('invoice', 'Issue', { aggregateId: 'n-4' });
    expect(unknown).toMatchObject({ status: 'rejected', code: 'UNKNOWN_AGGREGATE' });
    // answered at the edge: nothing was enqueued
    if (unknown.status === 'rejected')
      expect(await path.client.status(unknown.commandId)).toMatchObject({ status: 'unknown' });
    expect(await request('order', 'Teleport', { aggregateId: 'n-4' })).toMatchObject({
      status: 'rejected',
      code: 'UNKNOWN_COMMAND',
    });
  });

  it('answers the same commandId twice with one result: the command ran once', async () => {
    const body = { aggregateId: 'n-5', commandId: 'nats-once-1', payload: placeOrderPayload };
    const [first, second] = await Promise.all([
      request('order', 'PlaceOrder', body),
      request('order', 'PlaceOrder', body),
    ]);
    expect(first).toMatchObject({ status: 'accepted', commandId: 'nats-once-1', version: 1 });
    expect(second).toEqual(first);
    expect(await request('order', 'PlaceOrder', body)).toMatchObject({ status: 'accepted', version: 1 });
    expect(await versionOf('n-5')).toBe(1);
  });

  it('with chronicle-wait: false answers once enqueued, and the command still runs', async () => {
    const reply = await request(
      'order',
      'PlaceOrder',
      { aggregateId: 'n-6', payload: placeOrderPayload },
      { 'chronicle-wait': 'false' },
    );
    expect(reply).toMatchObject({ status: 'enqueued', commandId: expect.any(String) });
    await waitFor(async () => (await versionOf('n-6')) === 1, { what: 'n-6 placed' });
  });

  it('counts malformed messages without a reply subject, and logs them once a minute without their input', async () => {
    const refused = () =>
      telemetry
        .metricsHandler()
        .then((text) =>
          sample(text, 'chronicle_nats_commands_refused_total', { chronicle_rejection_code: 'VALIDATION' }),
        );
    const before = (await refused()) ?? 0;
    const junk = `not json ${'x'.repeat(800)}`;
    for (let n = 0; n < 30; n++) nc.publish(`${names.subjectPrefix}.commands.tester.order.PlaceOrder`, junk);
    await waitFor(async () => ((await refused()) ?? 0) - before >= 30, { what: '30 refusals counted' });
    const lines = logged.filter((line) => line.message.includes('without a reply subject'));
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain('xxxxxxxx');
    expect(JSON.stringify(lines).length).toBeLessThan(400);
  });

  it('enqueues a message without a reply subject', async () => {
    nc.publish(
      `${names.subjectPrefix}.commands.tester.order.PlaceOrder`,
      JSON.stringify({ aggregateId: 'n-7', payload: placeOrderPayload }),
    );
    await waitFor(async () => (await versionOf('n-7')) === 1, { what: 'n-7 placed' });
  });
});
