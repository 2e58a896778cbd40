import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { isChronicleError } from '../../src/errors/index.js';
import {
  COMMAND_REJECTED,
  createInMemoryEventStore,
  createPostgresEventStore,
  EVENTS_CHANNEL,
  type EventStore,
  REJECTIONS_STREAM,
} from '../../src/eventStore/index.js';
import { appendedNotice } from '../../src/subscriptions/index.js';
import { createTestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';

const metadata = { commandId: 'c', correlationId: 'c', causationId: 'c' };
const stream = { streamType: 'order', streamId: 'o-1' };

type Adapter = { readonly store: EventStore; readonly databaseUrl?: string; close(): Promise<void> };

// the in-memory adapter (chronicle/testing's runtime runs on it) must answer as PostgreSQL does
const adapters = [
  {
    name: 'PostgreSQL',
    open: async (): Promise<Adapter> => {
      const db = await createTestDatabase();
      return {
        store: createPostgresEventStore(db.orm, { schemas: domainEventSchemas }),
        databaseUrl: db.url,
        close: () => db.drop(),
      };
    },
  },
  {
    name: 'in memory',
    open: async (): Promise<Adapter> => ({
      store: createInMemoryEventStore({ schemas: domainEventSchemas }),
      close: async () => {},
    }),
  },
];

describe.each(adapters)('event store, $name: append', ({ name, open }) => {
  let adapter: Adapter;
  let store: EventStore;
  beforeAll(async () => {
    adapter = await open();
    store = adapter.store;
  });
  afterAll(() => adapter.close());

  it('given an empty stream, appends versions 1..n and records the command', async () => {
    const outcome = await store.append({
      ...stream,
      expectedVersion: 0,
      events: [
        { type: 'OrderPlaced', data: { quantity: 1 } },
        { type: 'OrderPaymentInitiated', data: {} },
      ],
      metadata: { ...metadata, commandId: 'cmd-1' },
      command: { commandId: 'cmd-1', type: 'PlaceOrder' },
    });
    if (outcome.status !== 'appended') throw new Error(`expected an append, got ${outcome.status}`);
    expect(outcome.result.version).toBe(2);
    expect(outcome.result.events.map((e) => [e.version, e.type])).toEqual([
      [1, 'OrderPlaced'],
      [2, 'OrderPaymentInitiated'],
    ]);
    expect(await store.streamVersion(stream)).toBe(2);
    expect(await store.findCommandResult('cmd-1')).toEqual(outcome.result);
  });

  it('when the expected version is stale, throws a ConcurrencyError naming both versions and writes nothing', async () => {
    const attempt = store.append({
      ...stream,
      expectedVersion: 1,
      events: [{ type: 'OrderPaid', data: {} }],
      metadata: { ...metadata, commandId: 'cmd-2' },
      command: { commandId: 'cmd-2', type: 'ConfirmPayment' },
    });
    await expect(attempt).rejects.toSatisfy((error) => isChronicleError(error, 'CONCURRENCY'));
    await expect(attempt).rejects.toThrow('is at version 2, expected 1');
    expect(await store.readStream(stream)).toHaveLength(2);
    expect(await store.findCommandResult('cmd-2')).toBeUndefined();
  });

  it('when a new stream is appended twice from version 0, the second is a conflict', async () => {
    const fresh = { streamType: 'order', streamId: 'o-race' };
    const append = (commandId: string) =>
      store.append({
        ...fresh,
        expectedVersion: 0,
        events: [{ type: 'OrderPlaced', data: {} }],
        metadata: { ...metadata, commandId },
        command: { commandId, type: 'PlaceOrder' },
      });
    const results = await Promise.allSettled([append('race-a'), append('race-b')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      results.filter((r) => r.status === 'rejected' && isChronicleError(r.reason, 'CONCURRENCY')),
    ).toHaveLength(1);
    expect(await store.readStream(fresh)).toHaveLength(1);
  });

  it('when the same command id is appended again, returns the stored result and appends nothing', async () => {
    const again = await store.append({
      ...stream,
      expectedVersion: 2,
      events: [{ type: 'OrderPaid', data: {} }],
      metadata: { ...metadata, commandId: 'cmd-1' },
      command: { commandId: 'cmd-1', type: 'PlaceOrder' },
    });
    expect(again.status).toBe('duplicate');
    expect(again.result).toMatchObject({ status: 'accepted', version: 2 });
    expect(await store.streamVersion(stream)).toBe(2);
  });

  it('reads a stream from a version, and up to a version', async () => {
    expect((await store.readStream(stream, { afterVersion: 1 })).map((e) => e.version)).toEqual([2]);
    expect((await store.readStream(stream, { toVersion: 1 })).map((e) => e.version)).toEqual([1]);
  });

  it('keeps the newest snapshot: an older one never replaces it', async () => {
    const state = { value: 'placed', context: { n: 2 } };
    await store.writeSnapshot({ ...stream, version: 2, machineHash: 'h1', state });
    await store.writeSnapshot({
      ...stream,
      version: 1,
      machineHash: 'h1',
      state: { value: 'x', context: {} },
    });
    expect(await store.readSnapshot(stream)).toMatchObject({ version: 2, machineHash: 'h1', state });
  });

  it('given event ids appended before (a process manager deciding again), answers with the stored events and appends nothing', async () => {
    const instance = { streamType: 'order-payment', streamId: 'o-1' };
    const decision = {
      ...instance,
      expectedVersion: 0,
      events: [
        { eventId: '0190c1d2-0000-7000-8000-000000000001', type: 'OrderPlacedHandled', data: { n: 1 } },
      ],
      metadata: { ...metadata, commandId: 'input-1' },
    };
    const first = await store.append(decision);
    expect(first.status).toBe('appended');
    const again = await store.append({ ...decision, expectedVersion: 1 });
    expect(again).toEqual({ status: 'duplicate', result: first.result });
    expect(await store.streamVersion(instance)).toBe(1);
  });

  it("records a rejection once, with its causation; only a process manager's command appends CommandRejected", async () => {
    const rejection = {
      code: 'INVALID_TRANSITION',
      message: 'order in state cancelled does not accept OrderPaid',
    };
    const command = (commandId: string) => ({
      commandId,
      type: 'ConfirmPayment',
      correlationId: 'corr-r',
      causationId: 'event-r',
      issuedBy: 'process-manager:order-payment',
    });
    const answered = { ...stream, rejection, answerTo: { processManager: 'order-payment', key: 'o-1' } };
    expect(await store.recordRejection({ ...answered, command: command('rej-1') })).toEqual({
      status: 'recorded',
    });
    expect(await store.recordRejection({ ...stream, rejection, command: command('rej-2') })).toEqual({
      status: 'recorded',
    });
    const twice = await store.recordRejection({
      ...answered,
      command: command('rej-1'),
      rejection: { code: 'X', message: 'x' },
    });
    expect(twice).toMatchObject({ status: 'duplicate', stored: { result: { code: 'INVALID_TRANSITION' } } });
    expect(await store.findCommand('rej-1')).toMatchObject({
      ...stream,
      commandId: 'rej-1',
      type: 'ConfirmPayment',
      correlationId: 'corr-r',
      causationId: 'event-r',
      issuedBy: 'process-manager:order-payment',
      result: { status: 'rejected', commandId: 'rej-1', ...rejection },
    });
    const [rejected] = await store.readStream({ streamType: REJECTIONS_STREAM, streamId: 'rej-1' });
    expect(rejected).toMatchObject({
      type: COMMAND_REJECTED,
      version: 1,
      data: {
        commandId: 'rej-1',
        commandType: 'ConfirmPayment',
        code: 'INVALID_TRANSITION',
        answerTo: { key: 'o-1' },
      },
      metadata: { commandId: 'rej-1', correlationId: 'corr-r', causationId: 'rej-1' },
    });
    expect(await store.readStream({ streamType: REJECTIONS_STREAM, streamId: 'rej-2' })).toEqual([]);
    const { commands, events } = await store.readCorrelation('corr-r');
    expect(commands.map((c) => [c.commandId, c.result.status])).toEqual([
      ['rej-1', 'rejected'],
      ['rej-2', 'rejected'],
    ]);
    expect(events.map((e) => e.type)).toEqual([COMMAND_REJECTED]);
  });

  it.runIf(name === 'PostgreSQL')(
    'notifies listeners once the append is committed, with the stream type and the hash of its id',
    async () => {
      const listener = new pg.Client({ connectionString: adapter.databaseUrl });
      await listener.connect();
      await listener.query(`listen ${EVENTS_CHANNEL}`);
      const notified = new Promise<pg.Notification>((resolve) => listener.once('notification', resolve));
      await store.append({
        streamType: 'product',
        streamId: 'p-1',
        expectedVersion: 0,
        events: [{ type: 'ProductCreated', data: {} }],
        metadata: { ...metadata, commandId: 'cmd-notify' },
        command: { commandId: 'cmd-notify', type: 'CreateProduct' },
      });
      const message = await notified;
      expect(message.channel).toBe(EVENTS_CHANNEL);
      // the stream's hash, so a projection worker wakes only the partition the stream is in
      const hash = await listener.query<{ h: string }>(`select hashtextextended('p-1', 0)::text as h`);
      expect(message.payload).toBe(`${hash.rows[0]?.h}:product`);
      await listener.end();
    },
  );

  it.runIf(name === 'PostgreSQL')(
    'given a burst of concurrent appends, the notifications that follow their commits wake a listener that then sees every event',
    async () => {
      const listener = new pg.Client({ connectionString: adapter.databaseUrl });
      const reader = new pg.Client({ connectionString: adapter.databaseUrl });
      await Promise.all([listener.connect(), reader.connect()]);
      let seen = 0;
      let reading = Promise.resolve();
      listener.on('notification', (message) => {
        if (appendedNotice(message.payload ?? '').streamType !== 'product') return;
        // what a woken subscriber reads: every event committed before this notification
        reading = reading.then(async () => {
          const { rows } = await reader.query<{ n: number }>(
            "select count(*)::int as n from es_events where stream_id like 'p-burst-%'",
          );
          seen = Math.max(seen, rows[0]?.n ?? 0);
        });
      });
      await listener.query(`listen ${EVENTS_CHANNEL}`);
      await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          store.append({
            streamType: 'product',
            streamId: `p-burst-${index}`,
            expectedVersion: 0,
            events: [{ type: 'ProductCreated', data: {} }],
            metadata: { ...metadata, commandId: `cmd-burst-${index}` },
            command: { commandId: `cmd-burst-${index}`, type: 'CreateProduct' },
          }),
        ),
      );
      // notifications are coalesced while one is in flight: the last append must still be followed by one
      await waitFor(() => seen === 20, { what: 'a notification after the last commit' });
      // later notifications (coalesced ones still in flight) must not query a closed reader
      listener.removeAllListeners('notification');
      await reading;
      await Promise.all([listener.end(), reader.end()]);
    },
  );
});
