import { describe, expect, it } from 'vitest';
import { aggregates } from '../../actors/index.js';
import { runWhatIf } from '../../src/whatIf/index.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { usePostgresEventStore } from '../support/postgresEventStore.js';

const metadata = { commandId: 'c', correlationId: 'c', causationId: 'c' };
const placed = {
  type: 'OrderPlaced',
  data: { ...placeOrderPayload, currency: 'EUR', placedAt: '2026-12-07T10:00:00.000Z' },
};
const initiated = { type: 'OrderPaymentInitiated', data: {} };
const failed = { type: 'OrderPaymentFailed', data: { reason: 'declined' } };

describe('runWhatIf pages through the store', () => {
  const opened = usePostgresEventStore();

  it('given streams longer than a page holds, replays every one once, a page at a time', async () => {
    const histories = [
      [placed],
      [placed, initiated],
      [placed, initiated, failed],
      [placed],
      [placed, initiated],
    ];
    for (const [index, events] of histories.entries())
      await opened.store.append({
        streamType: 'order',
        streamId: `page-${index}`,
        expectedVersion: 0,
        events,
        metadata,
      });
    const knex = opened.db.orm.em.getKnex();
    const pages: number[] = [];
    const report = await runWhatIf(knex, {
      current: aggregates,
      candidate: aggregates,
      types: ['order'],
      batchSize: 2,
      maxEventsPerPage: 2,
      onProgress: ({ streamsChecked }) => pages.push(streamsChecked),
    });
    expect(report.divergences).toEqual([]);
    expect(report.summary).toMatchObject({ streamsChecked: 5, eventsFolded: 9 });
    // 2 events a page: a stream that brings a page past them starts the next (one alone always fits)
    expect(pages).toEqual([1, 2, 3, 4, 5]);

    const limited = await runWhatIf(knex, {
      current: aggregates,
      candidate: aggregates,
      limit: 3,
      batchSize: 2,
    });
    expect(limited.summary.streamsChecked).toBe(3);
  });

  it('reads only streams appended to since --since, and refuses a type the candidate lacks', async () => {
    const knex = opened.db.orm.em.getKnex();
    const later = await runWhatIf(knex, {
      current: aggregates,
      candidate: aggregates,
      since: new Date(Date.now() + 60_000),
    });
    expect(later.summary.streamsChecked).toBe(0);
    await expect(
      runWhatIf(knex, { current: aggregates, candidate: aggregates, types: ['nope'] }),
    ).rejects.toThrow(/no aggregate "nope"/);
  });
});
