import { describe, expect, it } from 'vitest';
import { placeOrder } from '../support/orderCommands.js';
import { runToEnd } from '../support/processes.js';
import { keys } from './support/apiKeys.js';
import { call, withKey } from './support/http.js';
import { apiWithWorker } from './support/inProcessApi.js';

// Per-event-type counts (/v1/stats, chronicle stats) and the feed from a time (/v1/events?from=).

const api = apiWithWorker();

const read = (route: string) => call(`${api.url}${route}`, { headers: withKey(keys.reader) });
const accept = async (command: Parameters<typeof api.path.client.send>[0]) => {
  const result = await api.path.client.send(command, { wait: true, timeoutMs: 20_000 });
  expect(result.status).toBe('accepted');
};
const cancel = (aggregateId: string) => ({
  aggregateType: 'order',
  aggregateId,
  type: 'CancelOrder',
  payload: { reason: 'no longer needed' },
});

type Feed = {
  events: { type: string; streamId: string; recordedAt: string; globalPosition: number }[];
  next: number;
};

describe('counts per event type and the feed from a time', () => {
  it('given three orders placed and one cancelled, then /v1/stats and chronicle stats count each type', async () => {
    for (const id of ['count-1', 'count-2', 'count-3']) await accept(placeOrder(id));
    await accept(cancel('count-2'));

    const stats = await read('/v1/stats');
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({
      events: 4,
      streams: 3,
      aggregates: { order: { streams: 3, events: 4 } },
      eventTypes: { OrderPlaced: 3, OrderCancelled: 1 },
    });
    expect(Object.keys((stats.body as { eventTypes: object }).eventTypes)).toEqual([
      'OrderPlaced',
      'OrderCancelled',
    ]);

    const cli = await runToEnd('workers/cli.ts', { env: api.path.podEnv, args: ['stats'] });
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      events: 4,
      eventTypes: { OrderPlaced: 3, OrderCancelled: 1 },
    });
  });

  it('given events before and after a time, when read ?from= that time, then only those after, in order', async () => {
    await accept(placeOrder('before-1'));
    const before = (await read('/v1/events?type=OrderPlaced&limit=1000')).body as Feed;
    const placedAt = before.events.find((event) => event.streamId === 'before-1')?.recordedAt ?? '';
    // a millisecond past it (recordedAt drops the microseconds), well before the next command
    const from = new Date(Date.parse(placedAt) + 1).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await accept(placeOrder('after-1'));
    await accept(cancel('after-1'));

    const page = await read(`/v1/events?from=${from}`);
    expect(page.status, page.text).toBe(200);
    const feed = page.body as Feed;
    expect(feed.events.map((event) => [event.streamId, event.type])).toEqual([
      ['after-1', 'OrderPlaced'],
      ['after-1', 'OrderCancelled'],
    ]);
    // and with a type, then only that type; the `next` pages on as any other
    const cancelled = (await read(`/v1/events?from=${from}&type=OrderCancelled`)).body as Feed;
    expect(cancelled.events.map((event) => event.streamId)).toEqual(['after-1']);
    const rest = await read(`/v1/events?after=${feed.next}`);
    expect(rest.status).toBe(200);
    expect((rest.body as Feed).events).toEqual([]);
  });

  it('given a time after every event, then an empty page whose next pages on from the newest event', async () => {
    const page = await read('/v1/events?from=2999-01-01T00:00:00Z');
    expect(page.status).toBe(200);
    const feed = page.body as Feed;
    expect(feed.events).toEqual([]);
    await accept(placeOrder('later-1'));
    const later = (await read(`/v1/events?after=${feed.next}`)).body as Feed;
    expect(later.events.map((event) => event.streamId)).toEqual(['later-1']);
  });

  it('given a time before every event, then the feed from its start', async () => {
    const feed = (await read('/v1/events?from=2000-01-01T00:00:00Z&limit=2')).body as Feed;
    expect(feed.events.map((event) => event.streamId)).toEqual(['count-1', 'count-2']);
  });

  it('when `from` is no ISO time, or comes with `after`, then 400 INVALID_REQUEST naming it', async () => {
    for (const query of ['from=yesterday', 'from=2026-01-01T00:00:00', 'from=2026-01-01T00:00:00Z&after=1']) {
      const answer = await read(`/v1/events?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body).toMatchObject({
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('from'),
      });
    }
  });
});
