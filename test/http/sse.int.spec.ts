import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import {
  createPostgresEventStore,
  type EventStore,
  readEventBatch,
  wholeStream,
} from '../../src/eventStore/index.js';
import type { ApiServer } from '../../src/http/index.js';
import { decodePosition } from '../../src/http/stream/positionToken.js';
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
  store = createPostgresEventStore(path.db.orm, { schemas: domainEventSchemas });
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
    // everything after the open transaction waits for it: the stream's reader answers "blocked" past
    // the last frame (the order checked below proves the stream did not run ahead of the late commit)
    const [lastToken] = first.frames.slice(-1).map((frame) => frame.id as string);
    const last = decodePosition(lastToken ?? '');
    if (!last) throw new Error(`no position in the last frame: ${lastToken}`);
    const ahead = await readEventBatch(path.db.orm.em.getKnex(), domainEventSchemas, {
      after: last,
      filter: { streamTypes: ['order'] },
      partition: wholeStream,
      limit: 100,
    });
    expect([ahead.events.length, ahead.blocked]).toEqual([0, true]);
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
    // a sentinel appended last: once it arrived, anything sent twice would have arrived before it
    await append('sentinel-1');
    const resumed = await second.waitFor(10);
    second.close();
    expect(eventsOf(resumed.slice(-1)).map((event) => event.streamId)).toEqual(['sentinel-1']);

    const received = [...eventsOf(first.frames), ...eventsOf(resumed.slice(0, -1))];
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
    // each stream's start is fixed before its response headers: both start from now
    const paid = await openStream(`${url}/v1/stream?type=OrderPaid`, withKey(keys.reader));
    await append('f-1');
    await append('f-2');
    await append('f-1', 'OrderPaid', 2);
    // a sentinel both filters let through, appended last: what is not before it was filtered out
    await append('f-1', 'OrderPaid', 3);
    const frames = await live.waitFor(3);
    const paidFrames = await paid.waitFor(2);
    live.close();
    paid.close();
    expect(eventsOf(frames).map((e) => [e.streamId, e.type, e.version])).toEqual([
      ['f-1', 'OrderPlaced', 1],
      ['f-1', 'OrderPaid', 2],
      ['f-1', 'OrderPaid', 3],
    ]);
    expect(eventsOf(paidFrames).map((e) => [e.streamId, e.version])).toEqual([
      ['f-1', 2],
      ['f-1', 3],
    ]);
  });
});
