import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { outboxOutline, outboxSubscription } from '../../src/broker/index.js';
import { query } from '../../src/eventStore/index.js';
import type { LoggerPort } from '../../src/logging/index.js';
import { connectNats, createNatsEventBroker } from '../../src/nats/index.js';
import { SubscriptionHost } from '../../src/subscriptions/index.js';
import { appendHeld, fastSettings } from '../subscriptions/support.js';
import { type PrivateNatsServer, startPrivateNatsServer } from '../support/natsServer.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { deleteStream, natsNames, storedCount } from './support.js';

/** An event of a type only outbox `system` publishes. */
const happened = (system: string) => [{ type: `Happened_${system}`, data: {} }];

describe('the outbox while JetStream is unavailable (an outage, never the event’s failure)', () => {
  let nats: PrivateNatsServer;
  let db: TestDatabase;
  let nc: NatsConnection;
  let host: SubscriptionHost | undefined;
  const messages: { level: 'warn' | 'error'; message: string }[] = [];
  const logger: LoggerPort = {
    info() {},
    warn: (_object, message = '') => messages.push({ level: 'warn', message }),
    error: (_object, message = '') => messages.push({ level: 'error', message }),
  };

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    db = await createTestDatabase();
    nc = await connectNats(nats.url, 'outage test');
  });
  afterEach(async () => {
    await host?.stop();
    host = undefined;
    messages.length = 0;
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.close();
    await db?.drop();
  });

  /** An outbox of its own (`outbox_<system>`) publishing to a stream of its own, at most 2 attempts an event. */
  const startOutbox = async (system: string) => {
    const names = natsNames();
    const broker = createNatsEventBroker(nc, { ...names, duplicateWindowMs: 60_000 });
    await broker.ensureStream();
    host = await SubscriptionHost.start({
      knex: db.orm.em.getKnex(),
      schemas: domainEventSchemas,
      subscriptions: [
        outboxSubscription({
          broker,
          outline: outboxOutline({ system, partitions: 2, eventTypes: [`Happened_${system}`] }),
        }),
      ],
      settings: fastSettings(`outbox-${system}`, { maxAttempts: 2 }),
      logger,
    });
    return names;
  };

  /** Its partitions: none stopped, no attempt counted against an event. */
  const partitions = (system: string) =>
    query<{ status: string; attempts: number }>(
      db.orm.em.getKnex(),
      'select status, attempts from es_checkpoints where subscription = ? order by partition',
      [`outbox_${system}`],
    );
  const healthy = [
    { status: 'active', attempts: 0 },
    { status: 'active', attempts: 0 },
  ];
  const outageRetries = () =>
    messages.filter((m) => m.message === 'subscription read failed; retrying').length;

  it('creates a deleted stream again and publishes the events that came meanwhile', async () => {
    const knex = db.orm.em.getKnex();
    const names = await startOutbox('deleted');
    await appendHeld(knex, 'deleted-0', 0, happened('deleted'));
    await waitFor(async () => (await storedCount(nats.url, names.stream)) === 1, { what: 'the first event' });
    // when the stream is deleted (JetStream answers "no responders") and events keep coming
    await deleteStream(nats.url, names.stream);
    for (let n = 1; n <= 3; n++) await appendHeld(knex, `deleted-${n}`, 0, happened('deleted'));
    // then the stream is there again with them, and nothing was counted against an event
    const stopped = () => messages.some((m) => m.level === 'error');
    await waitFor(async () => stopped() || (await storedCount(nats.url, names.stream)) === 3, {
      what: 'the stream created again with the later events, or a stopped partition',
    });
    expect(messages.filter((m) => m.level === 'error')).toEqual([]);
    expect(await partitions('deleted')).toEqual(healthy);
  });

  it('waits out a NATS server running without JetStream, then publishes', async () => {
    const knex = db.orm.em.getKnex();
    const names = await startOutbox('disabled');
    // when NATS comes back without JetStream, and events are appended
    await nats.stop();
    await nats.start({ jetstream: false });
    for (let n = 0; n < 2; n++) await appendHeld(knex, `disabled-${n}`, 0, happened('disabled'));
    // then the outbox retries past the attempts an event has (2), or stops a partition
    await waitFor(() => outageRetries() >= 6 || messages.some((m) => m.level === 'error'), {
      what: 'retries beyond the attempts an event has',
    });
    expect(messages.filter((m) => m.level === 'error')).toEqual([]);
    expect(await partitions('disabled')).toEqual(healthy);
    // and once JetStream is back, every event is published
    await nats.stop();
    await nats.start();
    await waitFor(async () => (await storedCount(nats.url, names.stream)) === 2, { what: 'both events' });
    expect(await partitions('disabled')).toEqual(healthy);
  });
});
