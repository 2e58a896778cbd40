import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates, domainEventSchemas } from '../../actors/index.js';
import { projectionsStatus } from '../../src/cli/projectionCommands.js';
import { defaultConfig, defaultNatsConfig, type NatsConfig } from '../../src/config/index.js';
import { appendToStream, createPostgresEventStore } from '../../src/eventStore/index.js';
import { type NatsWorker, natsOutbox, runNatsWorker } from '../../src/nats/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { deleteStream, natsNames, readStoredMessages } from './support.js';

const NATS_URL = process.env.CHRONICLE_NATS_URL ?? 'nats://127.0.0.1:4222';

describe('which events the outbox publishes', () => {
  let db: TestDatabase;
  let worker: NatsWorker;
  let nats: NatsConfig;

  beforeAll(async () => {
    db = await createTestDatabase();
    nats = {
      ...defaultNatsConfig,
      url: NATS_URL,
      ...natsNames(),
      eventTypes: ['Shipped', 'CommandRejected'],
    };
  });
  afterAll(async () => {
    await worker?.stop();
    await db?.drop();
    await deleteStream(NATS_URL, nats.stream);
  });

  it("publishes only the configured event types, never the runtime's own streams, and its checkpoint passes the others", async () => {
    // given streams with events of a published and of an unpublished type
    for (const [n, types] of [
      [1, ['Packed', 'Shipped']],
      [2, ['Packed']],
      [3, ['Packed', 'Shipped', 'Packed']],
    ] as const) {
      await appendToStream(db.orm.em.getKnex(), domainEventSchemas, {
        streamType: 'parcel',
        streamId: `p-${n}`,
        expectedVersion: 0,
        events: types.map((type) => ({ type, data: {} })),
        metadata: { commandId: `c-${n}`, correlationId: `c-${n}`, causationId: `c-${n}` },
        command: { commandId: `c-${n}`, type: 'Do' },
      });
    }
    // and a process manager's command refused: the runtime's own CommandRejected, stream
    // chronicle.rejection (a name no subject token can carry), for the process manager alone
    await createPostgresEventStore(db.orm, { schemas: domainEventSchemas }).recordRejection({
      streamType: 'parcel',
      streamId: 'p-2',
      command: { commandId: 'refused-1', type: 'Ship', correlationId: 'c-2', causationId: 'e-2' },
      rejection: { code: 'INVALID_TRANSITION', message: 'parcel p-2 is not packed' },
      answerTo: { processManager: 'parcel-flow', key: 'p-2' },
    });
    // when a nats pod publishes with CHRONICLE_NATS_EVENT_TYPES=Shipped,CommandRejected
    worker = await runNatsWorker({
      aggregates,
      config: { ...defaultConfig, databaseUrl: db.url },
      nats,
      settings: fastSettings('outbox-filter'),
    });
    const context = { orm: db.orm, aggregates, projections: [], subscriptions: [natsOutbox(nats)] };
    await waitFor(async () => {
      const status = await projectionsStatus(context);
      return status.length === 4 && status.every((partition) => partition.lag.events === 0);
    });
    // then only the Shipped events are in JetStream, on their subject
    const messages = await readStoredMessages(NATS_URL, nats.stream);
    expect(messages.map((m) => [m.subject, m.event.streamId, m.event.version]).sort()).toEqual([
      [`${nats.subjectPrefix}.events.parcel.Shipped`, 'p-1', 2],
      [`${nats.subjectPrefix}.events.parcel.Shipped`, 'p-3', 2],
    ]);
  });
});
