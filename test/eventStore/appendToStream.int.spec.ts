import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { isChronicleError } from '../../src/errors/index.js';
import { createPostgresEventStore, EVENTS_CHANNEL, type EventStore } from '../../src/eventStore/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

const metadata = { commandId: 'c', correlationId: 'c', causationId: 'c' };
const stream = { streamType: 'order', streamId: 'o-1' };

describe('event store: append', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore(db.orm, { schemas: domainEventSchemas });
  });
  afterAll(() => db.drop());

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

  it('notifies listeners once the append is committed, with the stream type', async () => {
    const listener = new pg.Client({ connectionString: db.url });
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
    expect(await notified).toMatchObject({ channel: EVENTS_CHANNEL, payload: 'product' });
    await listener.end();
  });
});
