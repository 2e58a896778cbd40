import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates, domainEventSchemas } from '../../actors/index.js';
import { projectionsRetry, projectionsStatus } from '../../src/cli/projectionCommands.js';
import { defaultConfig, defaultNatsConfig, type NatsConfig } from '../../src/config/index.js';
import { appendToStream } from '../../src/eventStore/index.js';
import { createApiServer } from '../../src/http/index.js';
import { createLogger } from '../../src/logging/index.js';
import { type NatsWorker, natsOutbox, runNatsWorker } from '../../src/nats/index.js';
import { keys } from '../http/support/apiKeys.js';
import { call, withKey } from '../http/support/http.js';
import { testSettings } from '../http/support/inProcessApi.js';
import { fastSettings } from '../subscriptions/support.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';
import { deleteStream, natsNames, readStoredMessages, storedCount } from './support.js';

const NATS_URL = process.env.CHRONICLE_NATS_URL ?? 'nats://127.0.0.1:4222';

describe('the outbox in `projections status` and `projections retry`', () => {
  let db: TestDatabase;
  let worker: NatsWorker;
  let nats: NatsConfig;

  beforeAll(async () => {
    db = await createTestDatabase();
    // one partition, one stream at a time: the events after the bad one wait behind it
    nats = { ...defaultNatsConfig, url: NATS_URL, ...natsNames(), partitions: 1, publishConcurrency: 1 };
  });
  afterAll(async () => {
    await worker?.stop();
    await db?.drop();
    await deleteStream(NATS_URL, nats.stream);
  });

  const append = (streamId: string, type: string) =>
    appendToStream(db.orm.em.getKnex(), domainEventSchemas, {
      streamType: 'thing',
      streamId,
      expectedVersion: 0,
      events: [{ type, data: {} }],
      metadata: { commandId: `c-${streamId}`, correlationId: `c-${streamId}`, causationId: `c-${streamId}` },
      command: { commandId: `c-${streamId}`, type: 'Do' },
    });

  it('shows lag, stops on an event NATS cannot take with the event named, and resumes on retry', async () => {
    const context = { orm: db.orm, aggregates, projections: [], subscriptions: [natsOutbox(nats)] };
    // given an event, then one whose type cannot be a subject token, then another
    await append('t-1', 'Happened');
    await append('t-2', 'Bad.Type');
    await append('t-3', 'Happened');
    // before any pod ran, status lists the outbox's partition as not started, behind nothing (where
    // no broker is set up it never runs: not a lag of the whole store)
    expect(await projectionsStatus(context)).toMatchObject([
      { name: 'outbox_nats', partition: 0, state: 'not-started', lag: { events: 0 } },
    ]);
    // when a nats pod runs with two attempts per event
    worker = await runNatsWorker({
      aggregates,
      config: { ...defaultConfig, databaseUrl: db.url },
      nats,
      settings: fastSettings('outbox-status', { maxAttempts: 2 }),
    });
    // then the partition stops right at the bad event, the one before it published
    const [stopped] = await waitFor(async () => {
      const status = await projectionsStatus(context);
      return status[0]?.state === 'failed' ? status : undefined;
    });
    expect(stopped).toMatchObject({
      state: 'failed',
      attempts: 2,
      lag: { events: 2 },
      error: { eventType: 'Bad.Type', streamId: 't-2', message: expect.stringMatching(/subject token/) },
    });
    expect((await readStoredMessages(NATS_URL, nats.stream)).map((m) => m.event.streamId)).toEqual(['t-1']);
    // and retry resumes it from that event: never skipped, it stops there again
    expect(await projectionsRetry(context, 'outbox_nats')).toEqual({
      status: 'resumed',
      name: 'outbox_nats',
      partitions: [0],
    });
    const firstFailure = stopped?.state === 'failed' ? stopped.error.at : undefined;
    const [again] = await waitFor(async () => {
      const status = await projectionsStatus(context);
      return status[0]?.state === 'failed' && status[0].error.at !== firstFailure ? status : undefined;
    });
    expect(await storedCount(NATS_URL, nats.stream)).toBe(1);

    // the operations API (and so the UI) shows it beside the projections, and retries it
    const api = await createApiServer({
      config: { ...defaultConfig, databaseUrl: db.url },
      settings: testSettings(),
      aggregates,
      projections: [],
      subscriptions: [natsOutbox(nats)],
      logger: createLogger('api-test', { level: 'warn' }),
    });
    try {
      const url = `http://127.0.0.1:${await api.listen()}`;
      const listed = await call(`${url}/v1/projections`, { headers: withKey(keys.admin) });
      expect(listed.body).toMatchObject({
        projections: [
          {
            name: 'outbox_nats',
            kind: 'subscription',
            state: 'failed',
            lag: { events: 2 },
            partitions: [
              { error: { eventType: 'Bad.Type', at: again?.state === 'failed' ? again.error.at : '' } },
            ],
          },
        ],
      });
      const retried = await call(`${url}/v1/projections/outbox_nats/retry`, {
        method: 'POST',
        headers: withKey(keys.admin),
      });
      expect(retried.body).toEqual({ status: 'resumed', name: 'outbox_nats', partitions: [0] });
    } finally {
      await api.close();
    }
  });
});
