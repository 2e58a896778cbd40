import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore, type EventStore } from '../../src/eventStore/index.js';
import type { ApiServer } from '../../src/http/index.js';
import type { RecordedEvent } from '../../src/messages/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { keys } from './support/apiKeys.js';
import { withKey } from './support/http.js';
import { startInProcessApi } from './support/inProcessApi.js';
import { openStream, type SseFrame } from './support/sseClient.js';

let path: CommandPath;
let server: ApiServer;
let url: string;
let store: EventStore;

beforeAll(async () => {
  path = await createCommandPath();
  ({ server, url } = await startInProcessApi(path.config));
  store = createPostgresEventStore(path.db.orm);
});

afterAll(async () => {
  await server?.close();
  await path?.close();
});

const metadata = { commandId: 'c', correlationId: 'c', causationId: 'c' };

const append = (streamId: string, type = 'OrderPlaced', version = 1) =>
  store.append({
    streamType: 'order',
    streamId,
    expectedVersion: version - 1,
    events: [{ type, data: { streamId } }],
    metadata,
    command: { commandId: `cmd-${streamId}-${version}`, type: 'Test' },
  });

const eventsOf = (frames: readonly SseFrame[]) =>
  frames.map((frame) => JSON.parse(frame.data) as RecordedEvent);

describe('GET /v1/stream', () => {
  it('resumes after a disconnect with Last-Event-ID: nothing missed, nothing twice, late commits included', async () => {
    for (let i = 1; i <= 5; i++) await append(`a-${i}`);
    const first = await openStream(`${url}/v1/stream?aggregateType=order&from=start`, withKey(keys.reader));
    expect(first.status).toBe(200);
    await first.waitFor(5);

    // a writer takes its transaction id (and a position) now, but commits only after later writers
    const late = new pg.Client({ connectionString: path.config.databaseUrl });
    await late.connect();
    await late.query('begin');
    await late.query(
      `insert into es_events (stream_type, stream_id, version, event_id, type, data, metadata)
       values ('order', 'late-1', 1, gen_random_uuid(), 'OrderPlaced', '{}', $1)`,
      [JSON.stringify(metadata)],
    );
    for (let i = 1; i <= 5; i++) await append(`b-${i}`);
    await sleep(600);
    // everything after the open transaction waits for it: the stream never runs ahead of a late commit
    expect(first.frames).toHaveLength(5);
    first.close();

    await late.query(`select pg_notify('chronicle_events', 'order')`);
    await late.query('commit');
    await late.end();
    for (let i = 1; i <= 3; i++) await append(`c-${i}`);

    const lastId = first.frames.at(-1)?.id as string;
    expect(lastId).toMatch(/^\d+-\d+$/);
    const second = await openStream(`${url}/v1/stream?aggregateType=order`, {
      ...withKey(keys.reader),
      'last-event-id': lastId,
    });
    await second.waitFor(9);
    await sleep(300);
    second.close();

    const received = [...eventsOf(first.frames), ...eventsOf(second.frames)];
    const ids = received.map((event) => event.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(received.map((event) => event.streamId)).toEqual([
      ...['a-1', 'a-2', 'a-3', 'a-4', 'a-5'],
      'late-1',
      ...['b-1', 'b-2', 'b-3', 'b-4', 'b-5'],
      ...['c-1', 'c-2', 'c-3'],
    ]);
    // the late event has the lowest position of the resumed part, yet it was not skipped
    expect(received[5]?.globalPosition).toBeLessThan(received[6]?.globalPosition ?? 0);
    // each SSE id names its event's (transaction id, position)
    for (const frame of [...first.frames, ...second.frames]) {
      const event = JSON.parse(frame.data) as RecordedEvent;
      expect(frame.id).toBe(`${event.transactionId}-${event.globalPosition}`);
    }
  });

  it('filters by aggregate id and event type, and starts from now by default', async () => {
    const live = await openStream(
      `${url}/v1/stream?aggregateType=order&aggregateId=f-1`,
      withKey(keys.reader),
    );
    const paid = await openStream(`${url}/v1/stream?type=OrderPaid`, withKey(keys.reader));
    await sleep(300);
    await append('f-1');
    await append('f-2');
    await append('f-1', 'OrderPaid', 2);
    const frames = await live.waitFor(2);
    const [paidFrame] = await paid.waitFor(1);
    await sleep(300);
    live.close();
    paid.close();
    expect(eventsOf(frames).map((e) => [e.streamId, e.type])).toEqual([
      ['f-1', 'OrderPlaced'],
      ['f-1', 'OrderPaid'],
    ]);
    expect(live.frames).toHaveLength(2);
    expect(eventsOf(paid.frames)).toHaveLength(1);
    expect(paidFrame && (JSON.parse(paidFrame.data) as RecordedEvent).streamId).toBe('f-1');
  });
});
