import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../messages/index.js';
import { publishInStreamOrder } from './publishInStreamOrder.js';

const event = (streamId: string, version: number): RecordedEvent => ({
  eventId: `${streamId}-${version}`,
  streamType: 'order',
  streamId,
  version,
  type: 'Happened',
  data: {},
  globalPosition: 0,
  transactionId: '1',
  schemaVersion: 1,
  metadata: { commandId: 'c', correlationId: 'c', causationId: 'c' },
  recordedAt: '2026-01-01T00:00:00.000Z',
});

/** Given a batch of three streams, interleaved as they were committed. */
const batch = [event('a', 1), event('b', 1), event('a', 2), event('c', 1), event('b', 2), event('a', 3)];

describe('publishInStreamOrder', () => {
  it('publishes streams side by side but each stream in version order, one ack before the next', async () => {
    const published: string[] = [];
    const inFlight = new Map<string, number>();
    let mostStreamsAtOnce = 0;
    const outcome = await publishInStreamOrder(batch, 8, async (e) => {
      // a stream never has two publishes waiting for their ack
      expect(inFlight.get(e.streamId) ?? 0).toBe(0);
      inFlight.set(e.streamId, 1);
      mostStreamsAtOnce = Math.max(mostStreamsAtOnce, [...inFlight.values()].filter((n) => n > 0).length);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight.set(e.streamId, 0);
      published.push(e.eventId);
    });
    expect(outcome).toEqual({ status: 'published', count: 6 });
    expect(published.filter((id) => id.startsWith('a'))).toEqual(['a-1', 'a-2', 'a-3']);
    expect(published.filter((id) => id.startsWith('b'))).toEqual(['b-1', 'b-2']);
    expect(mostStreamsAtOnce).toBe(3);
  });

  it('with concurrency 1 publishes one stream after the other', async () => {
    const published: string[] = [];
    await publishInStreamOrder(batch, 1, async (e) => {
      published.push(e.eventId);
    });
    expect(published).toEqual(['a-1', 'a-2', 'a-3', 'b-1', 'b-2', 'c-1']);
  });

  it('names the earliest failed event of the batch and starts nothing after a failure', async () => {
    const started: string[] = [];
    const outcome = await publishInStreamOrder(batch, 1, async (e) => {
      started.push(e.eventId);
      if (e.eventId === 'a-2') throw new Error('refused');
    });
    expect(started).toEqual(['a-1', 'a-2']);
    expect(outcome).toMatchObject({ status: 'failed', failure: { index: 2, event: { eventId: 'a-2' } } });
  });

  it('of two failing streams reports the one earlier in the batch', async () => {
    const outcome = await publishInStreamOrder(batch, 8, async (e) => {
      if (e.eventId === 'c-1' || e.eventId === 'b-1') throw new Error(`refused ${e.eventId}`);
    });
    expect(outcome).toMatchObject({ status: 'failed', failure: { index: 1, event: { eventId: 'b-1' } } });
  });
});
