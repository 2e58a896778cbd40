import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '../../src/nats/index.js';
import type { SubscriptionHost } from '../../src/subscriptions/index.js';
import { appendHeld } from '../subscriptions/support.js';
import { type PrivateNatsServer, startPrivateNatsServer } from '../support/natsServer.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { deleteStream, keptLog, startOutbox, storedCount } from './support.js';

/** An event of a type only outbox `system` publishes. */
const happened = (system: string) => [{ type: `Happened_${system}`, data: {} }];

const healthy = [
  { status: 'active', attempts: 0 },
  { status: 'active', attempts: 0 },
];

describe('the outbox while JetStream is unavailable (an outage, never the event’s failure)', () => {
  let nats: PrivateNatsServer;
  let db: TestDatabase;
  let nc: NatsConnection;
  let host: SubscriptionHost | undefined;
  const log = keptLog();

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    db = await createTestDatabase();
    nc = await connectNats(nats.url, 'outage test');
  });
  afterEach(async () => {
    await host?.stop();
    host = undefined;
    log.messages.length = 0;
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.close();
    await db?.drop();
  });

  const outageLines = () => log.messages.filter((m) => m.message.startsWith('subscription worker: '));

  it('creates a deleted stream again and publishes the events that came meanwhile', async () => {
    const knex = db.orm.em.getKnex();
    const outbox = await startOutbox(knex, nc, { system: 'deleted', logger: log.logger });
    host = outbox.host;
    const { stream } = outbox.names;
    await appendHeld(knex, 'deleted-0', 0, happened('deleted'));
    await waitFor(async () => (await storedCount(nats.url, stream)) === 1, { what: 'the first event' });
    // when the stream is deleted (JetStream answers "no responders") and events keep coming
    await deleteStream(nats.url, stream);
    for (let n = 1; n <= 3; n++) await appendHeld(knex, `deleted-${n}`, 0, happened('deleted'));
    // then the stream is there again with them, and nothing was counted against an event
    await waitFor(async () => log.errors().length > 0 || (await storedCount(nats.url, stream)) === 3, {
      what: 'the stream created again with the later events, or a stopped partition',
    });
    expect(log.errors()).toEqual([]);
    expect(await outbox.partitionStates()).toEqual(healthy);
  });

  it('waits out a NATS server running without JetStream, then publishes', async () => {
    const knex = db.orm.em.getKnex();
    const outbox = await startOutbox(knex, nc, { system: 'disabled', logger: log.logger });
    host = outbox.host;
    // when NATS comes back without JetStream, and events are appended
    await nats.stop();
    await nats.start({ jetstream: false });
    const before = outbox.publishAttempts();
    for (let n = 0; n < 2; n++) await appendHeld(knex, `disabled-${n}`, 0, happened('disabled'));
    // then the outbox retries past the attempts an event has (2), or stops a partition
    await waitFor(() => outbox.publishAttempts() - before >= 6 || log.errors().length > 0, {
      what: 'retries beyond the attempts an event has',
    });
    expect(log.errors()).toEqual([]);
    expect(await outbox.partitionStates()).toEqual(healthy);
    // and the log has one line for the outage, not one per retry
    expect(outageLines()).toEqual([
      { level: 'warn', message: expect.stringMatching(/^subscription worker: /) },
    ]);
    // and once JetStream is back, every event is published
    await nats.stop();
    await nats.start();
    await waitFor(async () => (await storedCount(nats.url, outbox.names.stream)) === 2, {
      what: 'both events',
    });
    expect(await outbox.partitionStates()).toEqual(healthy);
    // and one line says it is over
    await waitFor(() => outageLines().length === 2, { what: 'the line that ends the outage' });
    expect(outageLines()[1]).toEqual({ level: 'info', message: 'subscription worker: connected again' });
  });
});
