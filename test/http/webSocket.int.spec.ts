import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { createPostgresEventStore, type EventStore } from '../../src/eventStore/index.js';
import type { ApiServer } from '../../src/http/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { waitFor } from '../support/waitFor.js';
import { keys } from './support/apiKeys.js';
import { call, withKey } from './support/http.js';
import { startInProcessApi } from './support/inProcessApi.js';
import { openStream } from './support/sseClient.js';
import { type FeedMessage, opened, openSocket } from './support/wsClient.js';

let path: CommandPath;
let server: ApiServer;
let url: string;
let store: EventStore;

beforeAll(async () => {
  path = await createCommandPath();
  // two live feeds per caller, whatever their transport, so the spec can reach the cap
  ({ server, url } = await startInProcessApi(path.config, {
    stream: { heartbeatMs: 1_000, pollMs: 200, maxConnections: 20, maxPerPrincipal: 2 },
  }));
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

const described = (messages: readonly FeedMessage[]) =>
  messages.map(({ event }) => [event.streamId, event.type, event.version]);

const ws = (query: string) => `${url}/v1/ws${query}`;

describe('GET /v1/ws: the live feed over one WebSocket', () => {
  it('sends what passes the filters, from now by default', async () => {
    const byId = opened(await openSocket(ws('?aggregateType=order&aggregateId=w-1'), withKey(keys.reader)));
    const paid = opened(await openSocket(ws('?type=OrderPaid'), withKey(keys.reader)));
    await append('w-1');
    await append('w-2');
    await append('w-1', 'OrderPaid', 2);
    // a sentinel both filters let through, appended last: what is not before it was filtered out
    await append('w-1', 'OrderPaid', 3);
    const frames = await byId.waitFor(3);
    const paidFrames = await paid.waitFor(2);
    byId.close();
    paid.close();
    expect(described(frames)).toEqual([
      ['w-1', 'OrderPlaced', 1],
      ['w-1', 'OrderPaid', 2],
      ['w-1', 'OrderPaid', 3],
    ]);
    expect(described(paidFrames)).toEqual([
      ['w-1', 'OrderPaid', 2],
      ['w-1', 'OrderPaid', 3],
    ]);
    // each position names its event's (transaction id, position): the SSE id of the same event
    for (const { position, event } of frames)
      expect(position).toBe(`${event.transactionId}-${event.globalPosition}`);
  });

  it('resumes after the last position received: nothing missed, nothing twice', async () => {
    await append('r-1');
    await append('r-1', 'OrderPaid', 2);
    const first = opened(await openSocket(ws('?aggregateId=r-1&from=start'), withKey(keys.reader)));
    const before = await first.waitFor(2);
    first.close();
    await first.closed;
    await append('r-1', 'OrderPaid', 3);
    const last = before.at(-1)?.position as string;
    const resumed = opened(await openSocket(ws(`?aggregateId=r-1&after=${last}`), withKey(keys.reader)));
    await append('r-1', 'OrderPaid', 4);
    const after = await resumed.waitFor(2);
    resumed.close();
    expect(described([...before, ...after])).toEqual([
      ['r-1', 'OrderPlaced', 1],
      ['r-1', 'OrderPaid', 2],
      ['r-1', 'OrderPaid', 3],
      ['r-1', 'OrderPaid', 4],
    ]);
  });

  it('refuses before the upgrade, with the answer HTTP gives: credentials, role, query', async () => {
    expect(await openSocket(ws(''), {})).toMatchObject({
      status: 'refused',
      statusCode: 401,
      body: { code: 'UNAUTHENTICATED' },
    });
    expect(await openSocket(ws(''), withKey('not-a-key-0000000000'))).toMatchObject({
      statusCode: 401,
      body: { code: 'INVALID_CREDENTIALS' },
    });
    // a key that may only send has no read role
    expect(await openSocket(ws(''), withKey(keys.orderSender))).toMatchObject({
      statusCode: 403,
      body: { code: 'FORBIDDEN' },
    });
    expect(await openSocket(ws('?after=42'), withKey(keys.reader))).toMatchObject({
      statusCode: 400,
      body: { code: 'INVALID_REQUEST', message: expect.stringMatching(/position token/) },
    });
    expect(await openSocket(ws('?aggregateId=w-1&colour=red'), withKey(keys.reader))).toMatchObject({
      statusCode: 400,
      body: { code: 'INVALID_REQUEST' },
    });
    // without an upgrade, the route says what it speaks
    const plain = await call(ws(''), { headers: withKey(keys.reader) });
    expect([plain.status, (plain.body as { code: string }).code]).toEqual([426, 'UPGRADE_REQUIRED']);
  });

  it("counts a caller's sockets and SSE streams against one cap, and frees a slot when a socket closes", async () => {
    const sse = await openStream(`${url}/v1/stream`, withKey(keys.reader));
    const socket = opened(await openSocket(ws(''), withKey(keys.reader)));
    expect(await openSocket(ws(''), withKey(keys.reader))).toMatchObject({
      status: 'refused',
      statusCode: 429,
      body: { code: 'TOO_MANY_STREAMS_FOR_CALLER' },
    });
    // another caller has slots of its own
    const admin = opened(await openSocket(ws(''), withKey(keys.admin)));
    admin.close();
    socket.close();
    const again = await waitFor(async () => {
      const attempt = await openSocket(ws(''), withKey(keys.reader));
      return attempt.status === 'open' && attempt;
    });
    again.close();
    sse.close();
  });

  it('closes its sockets with 1001 when the server closes, so clients resume elsewhere', async () => {
    const socket = opened(await openSocket(ws(''), withKey(keys.reader)));
    await server.close();
    expect(await socket.closed).toEqual({ code: 1001, reason: expect.stringMatching(/resume/) });
  });
});
