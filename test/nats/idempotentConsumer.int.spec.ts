import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIdempotentConsumer,
  decodePublishedEvent,
  inboxTableSql,
  type PublishedEvent,
} from '../../src/broker/index.js';
import type { RecordedEvent } from '../../src/messages/index.js';
import { createNatsEventBroker } from '../../src/nats/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { deleteStream, natsNames, withNats } from './support.js';

const NATS_URL = process.env.CHRONICLE_NATS_URL ?? 'nats://127.0.0.1:4222';

const event = (id: string, streamId: string): RecordedEvent => ({
  eventId: id,
  streamType: 'order',
  streamId,
  version: 1,
  type: 'OrderPlaced',
  data: { totalPrice: 40 },
  globalPosition: 1,
  transactionId: '1',
  schemaVersion: 1,
  metadata: { commandId: 'c-1', correlationId: 'c-1', causationId: 'c-1' },
  recordedAt: '2026-11-29T00:00:00.000Z',
});

describe('the idempotent-consumer helper (a consuming service)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const names = natsNames();

  beforeAll(async () => {
    // given a consuming service's database: its inbox table and its own invoices table
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    await pool.query(inboxTableSql());
    await pool.query('create table invoices (order_id text not null, amount numeric not null)');
  });
  afterAll(async () => {
    await pool?.end();
    await deleteStream(NATS_URL, names.stream);
    await db?.drop();
  });

  const invoices = async () => (await pool.query('select order_id from invoices')).rows;

  it('handles a redelivered event once, and a failed handling again on redelivery', async () => {
    await withNats(NATS_URL, async (nc) => {
      // given two events in JetStream and a pull consumer that redelivers after one second
      const broker = createNatsEventBroker(nc, { ...names, duplicateWindowMs: 60_000 });
      await broker.publish(event('00000000-0000-7000-8000-000000000001', 'o-1'), {});
      await broker.publish(event('00000000-0000-7000-8000-000000000002', 'o-2'), {});
      const jsm = await jetstreamManager(nc);
      await jsm.consumers.add(names.stream, {
        durable_name: 'billing',
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(1_000),
      });
      const consumer = await jetstream(nc).consumers.get(names.stream, 'billing');
      const billing = createIdempotentConsumer({ pool, consumer: 'billing' });
      const invoice =
        (e: PublishedEvent) => (tx: { query(sql: string, params: unknown[]): Promise<unknown> }) =>
          tx.query('insert into invoices (order_id, amount) values ($1, $2)', [
            e.streamId,
            (e.data as { totalPrice: number }).totalPrice,
          ]);

      // when the first delivery of o-1 is handled but the service dies before acking it,
      // and handling o-2 fails
      const first = await consumer.fetch({ max_messages: 2, expires: 5_000 });
      const outcomes: string[] = [];
      let delivered = 0;
      for await (const msg of first) {
        delivered++;
        const e = decodePublishedEvent(msg.data);
        if (e.streamId === 'o-1') outcomes.push((await billing.handle(e, invoice(e))).status);
        else
          await expect(
            billing.handle(e, async () => {
              throw new Error('ledger offline');
            }),
          ).rejects.toThrow('ledger offline');
        if (delivered === 2) break;
      }
      expect(outcomes).toEqual(['handled']);

      // then both are redelivered: o-1 is answered as a duplicate, o-2 is handled now
      const redelivered: Record<string, string> = {};
      while (Object.keys(redelivered).length < 2) {
        const again = await consumer.fetch({ max_messages: 2, expires: 5_000 });
        for await (const msg of again) {
          expect(msg.redelivered).toBe(true);
          const e = decodePublishedEvent(msg.data);
          redelivered[e.streamId] = (await billing.handle(e, invoice(e))).status;
          msg.ack();
          if (Object.keys(redelivered).length === 2) break;
        }
      }
      expect(redelivered).toEqual({ 'o-1': 'duplicate', 'o-2': 'handled' });
      expect((await invoices()).map((row) => row.order_id).sort()).toEqual(['o-1', 'o-2']);
    });
  });

  it('lets two concurrent deliveries of one event run the handler once', async () => {
    const payments = createIdempotentConsumer({ pool, consumer: 'payments' });
    const e = event('00000000-0000-7000-8000-000000000003', 'o-3');
    const outcomes = await Promise.all(
      [1, 2].map(() =>
        payments.handle(e, (tx) =>
          tx.query('insert into invoices (order_id, amount) values ($1, 1)', [e.streamId]),
        ),
      ),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(['duplicate', 'handled']);
    expect((await invoices()).filter((row) => row.order_id === 'o-3')).toHaveLength(1);
  });
});
