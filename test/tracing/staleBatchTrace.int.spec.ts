import type { Knex } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { startTestTelemetry, type TestTelemetry } from '../../otel/index.js';
import {
  claimPartitions,
  ensurePartitions,
  readCheckpoint,
  startOfStream,
} from '../../src/eventStore/index.js';
import type { RecordedEvent } from '../../src/messages/index.js';
import { type BatchTarget, processBatch } from '../../src/subscriptions/index.js';
import { attr } from '../../src/tracing/index.js';
import { appendHeld } from '../subscriptions/support.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

const name = 'stale_batch_trace';

describe('a batch found stale: its process span says so', () => {
  let telemetry: TestTelemetry;
  let db: TestDatabase;
  let knex: Knex;
  const handled: RecordedEvent[][] = [];
  const target = (): BatchTarget => ({
    definition: {
      name,
      partitions: 1,
      filter: { streamTypes: ['thing'] },
      handleBatch: async (events) => {
        handled.push([...events]);
      },
    },
    partition: 0,
    owner: 'w1',
    leaseTtlMs: 60_000,
    schemas: domainEventSchemas,
  });
  beforeAll(async () => {
    telemetry = startTestTelemetry();
    db = await createTestDatabase();
    knex = db.orm.em.getKnex();
    await ensurePartitions(knex, name, 1);
    await claimPartitions(knex, { name, partitions: 1 }, 'w1', 60_000, 1);
    for (const n of [1, 2]) await appendHeld(knex, `s-${n}`, 0, [{ type: 'Happened', data: { n } }]);
  });
  afterAll(async () => {
    await db?.drop();
    await telemetry?.shutdown();
  });

  it('given the checkpoint moved past where a runner read from, its batch is not handled and its span ends with outcome stale', async () => {
    // given: the partition's batch handled once, so the checkpoint is past the start
    const first = await processBatch(knex, target(), startOfStream, 10);
    expect(first).toMatchObject({ status: 'handled', count: 2 });
    const moved = (await readCheckpoint(knex, name, 0))?.checkpoint;
    telemetry.reset();

    // when: a runner that still believes the checkpoint is at the start runs the batch again
    const again = await processBatch(knex, target(), startOfStream, 10);

    // then: stale, nothing handled or moved, and one process span with the outcome and the batch
    expect(again).toEqual({ status: 'stale' });
    expect(handled).toHaveLength(1);
    expect((await readCheckpoint(knex, name, 0))?.checkpoint).toEqual(moved);
    const spans = telemetry.spans().filter((span) => span.name === `process ${name}`);
    expect(spans).toHaveLength(1);
    expect(spans[0]?.attributes).toMatchObject({
      [attr.outcome]: 'stale',
      [attr.messagingBatchCount]: 2,
      [attr.messagingDestination]: name,
    });
  });

  it('a batch handled has no outcome on its span', async () => {
    telemetry.reset();
    await appendHeld(knex, 's-3', 0, [{ type: 'Happened', data: { n: 3 } }]);
    const from = (await readCheckpoint(knex, name, 0))?.checkpoint ?? startOfStream;
    expect(await processBatch(knex, target(), from, 10)).toMatchObject({ status: 'handled', count: 1 });
    const [span] = telemetry.spans().filter((each) => each.name === `process ${name}`);
    expect(span?.attributes[attr.outcome]).toBeUndefined();
  });
});
