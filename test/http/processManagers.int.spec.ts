import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas, orderPayment } from '../../actors/index.js';
import { createPostgresEventStore } from '../../src/eventStore/index.js';
import type { ApiServer } from '../../src/http/index.js';
import type { CommandRequest } from '../../src/messages/index.js';
import { snapshotProcess } from '../../src/snapshots/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';
import { waitFor } from '../support/waitFor.js';
import { keys } from './support/apiKeys.js';
import { call, withKey } from './support/http.js';
import { startInProcessApi } from './support/inProcessApi.js';

type InstanceState = {
  processManager: string;
  key: string;
  version: number;
  headVersion: number;
  value: unknown;
  context: Record<string, unknown>;
  deadlines: Record<string, { deadlineId: string; at: string }>;
  activePaths: string[];
  fromSnapshot: boolean;
};

describe('process-manager instances over HTTP, read like aggregates', () => {
  let path: CommandPath;
  let server: ApiServer;
  let url: string;

  beforeAll(async () => {
    path = await createCommandPath();
    await path.startWorker();
    await path.startProcessManagers('pm-http');
    ({ server, url } = await startInProcessApi(path.config));
  });
  afterAll(async () => {
    await server?.close();
    await path?.close();
  });

  const read = (route: string, key: string = keys.reader) =>
    call(`${url}${route}`, { headers: withKey(key) });
  const send = async (request: CommandRequest) => {
    const result = await path.client.send(request, { wait: true });
    if (result.status !== 'accepted') throw new Error(`${request.type}: ${result.code}: ${result.message}`);
  };
  const instance = (id: string, suffix = '') => read(`/v1/process-managers/order-payment/${id}${suffix}`);
  /** Waits until the instance's stream is at `version`. */
  const atVersion = (id: string, version: number) =>
    waitFor(
      async () => {
        const answer = await instance(id);
        return answer.status === 200 && (answer.body as InstanceState).version >= version
          ? (answer.body as InstanceState)
          : undefined;
      },
      { what: `order-payment/${id} at v${version}` },
    );

  it('lists the process manager beside the aggregates in /v1/machines, with its chart', async () => {
    const { machines } = (await read('/v1/machines')).body as {
      machines: { kind: string; aggregateType: string; correlates?: string[]; commands?: string[] }[];
    };
    expect(machines.map((machine) => [machine.kind, machine.aggregateType])).toEqual([
      ['aggregate', 'order'],
      ['aggregate', 'payment'],
      ['aggregate', 'user'],
      ['aggregate', 'product'],
      ['process-manager', 'order-payment'],
    ]);
    const machine = (await read('/v1/machines/order-payment')).body as {
      kind: string;
      correlates: string[];
      mermaid: string;
      mermaidIds: Record<string, string>;
      events: string[];
    };
    expect(machine.kind).toBe('process-manager');
    expect(machine.correlates).toContain('PaymentCaptured');
    expect(machine.mermaid).toContain('idle --> awaitingPayment : OrderPlaced');
    expect(machine.mermaidIds.awaitingPayment).toBe('awaitingPayment');
    expect(machine.events).toContain('CommandRejected');
  });

  it("given an order placed, shows its instance's state, deadline and history, then steps back through it", async () => {
    await send(placeOrder('pm-http-1'));
    const waiting = await atVersion('pm-http-1', 2); // OrderPlaced, then PaymentRequested handled
    expect(waiting).toMatchObject({
      processManager: 'order-payment',
      key: 'pm-http-1',
      headVersion: 2,
      value: 'awaitingPayment',
      activePaths: ['awaitingPayment'],
      context: { orderId: 'pm-http-1', amount: 40, captured: 0 },
    });
    expect(Object.keys(waiting.deadlines)).toEqual(['PAYMENT_TIMEOUT']);

    await send({
      aggregateType: 'payment',
      aggregateId: 'pm-http-1',
      type: 'AuthorizePayment',
      payload: { authorizationCode: 'A' },
    });
    await send({ aggregateType: 'payment', aggregateId: 'pm-http-1', type: 'CapturePayment', payload: {} });
    const paid = await atVersion('pm-http-1', 3);
    expect(paid).toMatchObject({ value: 'paid', activePaths: ['paid'], context: { captured: 40 } });
    expect(paid.deadlines).toEqual({});

    const first = (await instance('pm-http-1', '/at/1')).body as InstanceState;
    expect(first).toMatchObject({ version: 1, headVersion: 3, value: 'awaitingPayment' });
    expect(Object.keys(first.deadlines)).toEqual(['PAYMENT_TIMEOUT']);

    const history = (await instance('pm-http-1', '/events')).body as {
      version: number;
      events: { version: number; type: string; data: { outputs: { kind: string; type?: string }[] } }[];
    };
    expect(history.version).toBe(3);
    expect(history.events.map((event) => event.type)).toEqual([
      'OrderPlacedHandled',
      'PaymentRequestedHandled',
      'PaymentCapturedHandled',
    ]);
    expect(history.events[0]?.data.outputs.map((output) => output.type ?? output.kind)).toEqual([
      'RequestPayment',
      'schedule',
    ]);
    const later = (await instance('pm-http-1', '/events?fromVersion=3')).body as { events: unknown[] };
    expect(later.events).toHaveLength(1);

    // once snapshotted, the instance reads from its snapshot, with the same state
    expect(paid.fromSnapshot).toBe(false);
    const store = createPostgresEventStore(path.db.orm, { schemas: domainEventSchemas });
    await snapshotProcess(store, domainEventSchemas, orderPayment, 'pm-http-1');
    expect((await read('/v1/snapshots/order-payment/pm-http-1')).body).toMatchObject({
      version: 3,
      current: true,
    });
    const restored = (await instance('pm-http-1')).body as InstanceState;
    expect(restored).toEqual({ ...paid, fromSnapshot: true });
    expect(((await instance('pm-http-1', '/at/2')).body as InstanceState).fromSnapshot).toBe(false);
  });

  it('answers 400 past the head, 404 for an instance or process manager that does not exist', async () => {
    await send(placeOrder('pm-http-2'));
    await atVersion('pm-http-2', 1);
    const past = await instance('pm-http-2', '/at/99');
    expect([past.status, (past.body as { message: string }).message]).toEqual([
      400,
      expect.stringContaining('is at version'),
    ]);
    expect((await instance('nobody')).status).toBe(404);
    expect((await instance('nobody', '/events')).status).toBe(404);
    const unknown = await read('/v1/process-managers/spaceship/pm-http-2');
    expect([unknown.status, (unknown.body as { message: string }).message]).toEqual([
      404,
      'no process manager "spaceship"; known: order-payment',
    ]);
    // an instance is not an aggregate, nor the other way round
    expect((await read('/v1/aggregates/order-payment/pm-http-2')).status).toBe(404);
    expect((await read('/v1/process-managers/order/pm-http-2')).status).toBe(404);
  });

  it('needs the read role', async () => {
    expect((await call(`${url}/v1/process-managers/order-payment/pm-http-1`)).status).toBe(401);
  });
});
