import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Checkpoint } from '../../eventStore/index.js';
import type { ApiContext } from '../apiContext.js';
import { principalOf } from '../auth/index.js';
import { HttpError } from '../httpError.js';
import type { DocumentedRoute } from '../openapi/buildOpenApi.js';
import { parseInput } from '../registerRoutes.js';
import { followEvents, type StreamFilter } from '../stream/followEvents.js';
import {
  feedControl,
  feedFilter,
  feedStart,
  followSettings,
  LiveFeedQuery,
  resumePosition,
  takeFeedSlot,
} from '../stream/liveFeed.js';
import type { StreamSlot } from '../stream/streamSlots.js';

export const WEB_SOCKET_PATH = '/v1/ws';

/** What the route uses of a `ws` socket (the package ships no types of its own). */
type LiveSocket = {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string, callback: (error?: Error) => void): void;
  ping(): void;
  close(code: number, reason: string): void;
  on(event: 'close', listener: () => void): void;
};

const OPEN = 1;
/** Past this many bytes not yet handed to the kernel, wait: a slow client slows only its own feed. */
const HIGH_WATER_BYTES = 1 << 20;
/** Clients send nothing this route reads; a frame larger than this closes the socket (1009). */
const MAX_CLIENT_FRAME_BYTES = 4_096;

/**
 * `/v1/ws` as the OpenAPI document describes it (fastify serves it below, not as an ApiRoute): the
 * live feed's query, the `read` role, and what the socket carries.
 */
export const webSocketRoute: DocumentedRoute = {
  method: 'GET',
  url: WEB_SOCKET_PATH,
  access: 'read',
  tag: 'events',
  summary: 'Live events over a WebSocket: the feed of /v1/stream, resumable with ?after=<position>',
  query: LiveFeedQuery,
  upgrade: 'websocket',
  responses: {
    101:
      'the socket opens and sends each event as one JSON text message `{ position, event }`: position = ' +
      'the token `<transactionId>-<globalPosition>` (its SSE id), event = the event as JSON. ' +
      'An idle socket is pinged every CHRONICLE_STREAM_HEARTBEAT_MS. The server reads nothing: ' +
      `a client message over ${MAX_CLIENT_FRAME_BYTES / 1024} KiB closes it (1009). ` +
      'It closes 1001 when the pod stops and 1011 after a failure: reconnect with ?after=<the last position>',
    426: 'not a WebSocket upgrade (UPGRADE_REQUIRED): this route speaks WebSocket only',
    429: 'rate limited, or the caller holds its share of live streams (CHRONICLE_STREAM_MAX_PER_PRINCIPAL)',
    503: 'the pod serves its maximum of live streams',
  },
};

/** A feed accepted before the upgrade: its slot, its start and its filter. */
type OpenedFeed = { readonly slot: StreamSlot; readonly after: Checkpoint; readonly filter: StreamFilter };

const opened = new WeakMap<FastifyRequest, OpenedFeed>();

const sendFrame = (socket: LiveSocket, data: string): Promise<void> =>
  new Promise((resolve, reject) => {
    socket.send(data, (error) => (error ? reject(error) : resolve()));
  });

/**
 * Everything that can refuse the socket happens before the upgrade, so a refused client gets an
 * HTTP answer it can read (400, 401, 403, 429, 503) rather than a socket closed without a reason.
 * The auth and rate-limit hooks ran already; here the query is checked, a slot taken and the start
 * fixed, so events committed once the socket is open are all sent.
 */
const acceptFeed = (ctx: ApiContext) => async (request: FastifyRequest) => {
  if (!request.ws) return;
  const query = parseInput(LiveFeedQuery, request.query, 'query');
  const resumeAfter = resumePosition(query.after, 'after');
  const slot = takeFeedSlot(ctx, principalOf(request)?.id ?? `ip:${request.ip}`);
  // given back when the connection closes, whether the upgrade happened or not (release is idempotent)
  request.raw.socket.once('close', () => slot.release());
  try {
    opened.set(request, {
      slot,
      after: await feedStart(ctx, resumeAfter, query.from),
      filter: feedFilter(query),
    });
  } catch (error) {
    slot.release();
    throw error;
  }
};

const streamTo = async (ctx: ApiContext, socket: LiveSocket, request: FastifyRequest): Promise<void> => {
  const feed = opened.get(request);
  if (!feed) return socket.close(1011, 'no feed was opened for this socket');
  const control = feedControl(ctx);
  socket.on('close', control.stop);
  if (socket.readyState !== OPEN) control.stop();
  try {
    await followEvents(
      {
        event: async (event, position) => {
          // a send fails only when the socket is going away: that ends the feed
          const frame = sendFrame(socket, JSON.stringify({ position, event })).catch(control.stop);
          if (socket.bufferedAmount > HIGH_WATER_BYTES) await frame;
        },
        idle: async () => socket.ping(),
      },
      { ...followSettings(ctx), filter: feed.filter, after: feed.after, signal: control.signal },
    );
    if (socket.readyState === OPEN) socket.close(1001, 'the server is closing; resume with ?after=');
  } catch (error) {
    request.log.warn({ err: error }, 'live WebSocket failed');
    if (socket.readyState === OPEN) socket.close(1011, 'the feed failed; resume with ?after=');
  } finally {
    feed.slot.release();
    control.dispose();
  }
};

/**
 * `GET /v1/ws`: the live feed of `/v1/stream` over one WebSocket, with the same filters, resume,
 * caps and credentials. Each message is `{ position, event }`; reconnect with `?after=<position>`.
 */
export const registerWebSocketRoute = async (app: FastifyInstance, ctx: ApiContext): Promise<void> => {
  await app.register(websocket, {
    options: { maxPayload: MAX_CLIENT_FRAME_BYTES },
    // the feeds end on ctx.closing (aborted in preClose) and close their sockets themselves
    preClose: (done) => done(),
  });
  app.route({
    method: webSocketRoute.method,
    url: webSocketRoute.url,
    config: { access: webSocketRoute.access },
    preValidation: acceptFeed(ctx),
    handler: async () => {
      throw new HttpError(426, 'UPGRADE_REQUIRED', `${WEB_SOCKET_PATH} speaks WebSocket only`, undefined, {
        upgrade: 'websocket',
      });
    },
    wsHandler: (socket, request) => streamTo(ctx, socket as LiveSocket, request),
  });
};
