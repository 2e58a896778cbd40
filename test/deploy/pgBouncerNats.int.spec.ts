import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates } from '../../actors/index.js';
import { defaultNatsConfig, type NatsConfig } from '../../src/config/index.js';
import { type NatsWorker, runNatsWorker } from '../../src/nats/index.js';
import { deleteStream, expectEveryEventOnceInOrder, natsNames, readStoredMessages } from '../nats/support.js';
import { fastSettings } from '../subscriptions/support.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { PGBOUNCER } from '../support/privatePgBouncer.js';
import { waitFor } from '../support/waitFor.js';
import { type BehindPgBouncer, startBehindPgBouncer } from './support/behindPgBouncer.js';

const NATS_URL = process.env.CHRONICLE_NATS_URL ?? 'nats://127.0.0.1:4222';

/*
 * The nats pod's engine (runNatsWorker: the outbox and its checkpoints in PostgreSQL) and a command
 * worker, both behind a private PgBouncer in transaction mode, publishing to the shared NATS under a
 * stream and subject prefix of this test's own. pgBouncer.int.spec.ts says why the settings are
 * what they are.
 */
describe.skipIf(!PGBOUNCER)('the nats worker behind PgBouncer in transaction mode', () => {
  let behind: BehindPgBouncer;
  let worker: NatsWorker | undefined;
  const nats: NatsConfig = { ...defaultNatsConfig, url: NATS_URL, ...natsNames() };

  beforeAll(async () => {
    behind = await startBehindPgBouncer();
    await behind.path.startWorker({ config: behind.config });
  });
  afterAll(async () => {
    await worker?.stop();
    await behind?.close();
    await deleteStream(NATS_URL, nats.stream);
  });

  it('publishes every event of ten orders exactly once, each stream in order', async () => {
    worker = await runNatsWorker({
      aggregates,
      config: behind.config,
      nats,
      settings: fastSettings('bouncer-nats', { batchSize: 10 }),
    });
    const orders = Array.from({ length: 10 }, (_, i) => `nats-bouncer-${i}`);
    const { client } = behind.path;
    const results = await Promise.all(
      orders.map(async (id) => [
        await client.send(placeOrder(id), { wait: true }),
        await client.send(paymentAttempt(id, 1), { wait: true }),
        await client.send(paymentAttempt(id, 2), { wait: true }),
      ]),
    );
    expect(results.flat().filter((result) => result.status !== 'accepted')).toEqual([]);
    const messages = await waitFor(
      async () => {
        const stored = await readStoredMessages(NATS_URL, nats.stream).catch(() => []);
        return stored.length >= orders.length * 3 && stored;
      },
      { what: 'thirty events published', timeoutMs: 60_000 },
    );
    expect(messages).toHaveLength(30);
    await expectEveryEventOnceInOrder(behind.path.db.orm.em.getKnex(), messages, nats.subjectPrefix);
  });
});
