import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSubscriptionDeadLetters } from '../../src/eventStore/index.js';
import { connectNats } from '../../src/nats/index.js';
import type { SubscriptionHost } from '../../src/subscriptions/index.js';
import { appendHeld } from '../subscriptions/support.js';
import { type PrivateNatsServer, startPrivateNatsServer } from '../support/natsServer.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { keptLog, readStoredMessages, startOutbox, storedCount } from './support.js';

const MAX_PAYLOAD = 16_384;
const happened = (text = '') => ({ type: 'Happened_big', data: { text } });

describe('the outbox and an event NATS cannot carry (over its max_payload)', () => {
  let nats: PrivateNatsServer;
  let db: TestDatabase;
  let nc: NatsConnection;
  let host: SubscriptionHost | undefined;
  const log = keptLog();

  beforeAll(async () => {
    nats = await startPrivateNatsServer({ maxPayload: MAX_PAYLOAD });
    db = await createTestDatabase();
    nc = await connectNats(nats.url, 'max_payload test');
  });
  afterAll(async () => {
    await host?.stop();
    await nc?.close();
    await nats?.close();
    await db?.drop();
  });

  it('parks it, its stream behind it, and publishes every other stream of the partition', async () => {
    const knex = db.orm.em.getKnex();
    // given one partition, so every stream shares the big event's partition
    const outbox = await startOutbox(knex, nc, { system: 'big', partitions: 1, logger: log.logger });
    host = outbox.host;
    // when a stream's second event is larger than the server takes, and other streams append after it
    await appendHeld(knex, 'big-1', 0, [happened(), happened('x'.repeat(MAX_PAYLOAD)), happened()]);
    for (let n = 0; n < 5; n++) await appendHeld(knex, `small-${n}`, 0, [happened()]);
    // then every other event is published and nothing stops
    await waitFor(
      async () => log.errors().length > 0 || (await storedCount(nats.url, outbox.names.stream)) === 6,
      {
        what: 'the six events NATS can carry, or a stopped partition',
      },
    );
    expect(log.errors()).toEqual([]);
    const published = await readStoredMessages(nats.url, outbox.names.stream);
    expect(published.map((m) => `${m.event.streamId}@${m.event.version}`).sort()).toEqual(
      ['big-1@1', 'small-0@1', 'small-1@1', 'small-2@1', 'small-3@1', 'small-4@1'].sort(),
    );
    expect(await outbox.partitionStates()).toEqual([{ status: 'active', attempts: 0 }]);
    // and the big event is a dead letter of the outbox that says why, the stream's next one behind it
    const parked = await listSubscriptionDeadLetters(knex);
    expect(
      parked.map(({ subscription, streamId, version, code }) => ({ subscription, streamId, version, code })),
    ).toEqual(
      expect.arrayContaining([
        { subscription: 'outbox_big', streamId: 'big-1', version: 2, code: 'EVENT_TOO_LARGE' },
        { subscription: 'outbox_big', streamId: 'big-1', version: 3, code: 'BEHIND_DEAD_LETTER' },
      ]),
    );
    expect(parked.find((letter) => letter.version === 2)?.message).toMatch(/max_payload \(16384\)/);
  });
});
