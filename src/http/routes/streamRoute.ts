import type { ApiContext } from '../apiContext.js';
import { type ApiRoute, defineRoute } from '../route.js';
import { writeEventStream } from '../stream/eventStream.js';
import {
  feedControl,
  feedFilter,
  feedStart,
  followSettings,
  LiveFeedQuery,
  resumePosition,
  takeFeedSlot,
} from '../stream/liveFeed.js';

const EVENT_STREAM = 'text/event-stream; charset=utf-8';

export const streamRoute = (ctx: ApiContext): ApiRoute =>
  defineRoute({
    method: 'GET',
    url: '/v1/stream',
    access: 'read',
    tag: 'events',
    summary:
      'Live events as Server-Sent Events; resumable with Last-Event-ID (`<transactionId>-<globalPosition>`)',
    // `after`: a position token (an SSE id) to start after; `Last-Event-ID` wins when both are sent
    query: LiveFeedQuery,
    produces: 'text/event-stream',
    traced: false,
    responses: {
      200: 'an endless text/event-stream; each event: id = position token, data = the event as JSON',
      429: 'the caller holds its share of live streams (CHRONICLE_STREAM_MAX_PER_PRINCIPAL)',
      503: 'the pod serves its maximum of live streams',
    },
    handler: async ({ query, request, reply, principal }) => {
      const header = request.headers['last-event-id'];
      const token = (typeof header === 'string' && header.length > 0 ? header : undefined) ?? query.after;
      const resumeAfter = resumePosition(token, 'Last-Event-ID / after');
      // HEAD asks what a GET would answer: the headers, never an open stream
      if (request.method === 'HEAD') return { status: 200, body: '', contentType: EVENT_STREAM };
      // taken before any await: concurrent opens are all counted against the caps
      const slot = takeFeedSlot(ctx, principal?.id ?? `ip:${request.ip}`);
      const control = feedControl(ctx);
      try {
        const after = await feedStart(ctx, resumeAfter, query.from);
        reply.hijack();
        const res = reply.raw;
        res.on('close', control.stop);
        if (res.destroyed) control.stop();
        res.writeHead(200, {
          'content-type': EVENT_STREAM,
          'cache-control': 'no-store',
          connection: 'keep-alive',
          // proxies (nginx) must not buffer a stream
          'x-accel-buffering': 'no',
        });
        res.write('retry: 2000\n\n');
        try {
          await writeEventStream(res, {
            ...followSettings(ctx),
            filter: feedFilter(query),
            after,
            signal: control.signal,
          });
        } catch (error) {
          // headers are gone: all that is left is to end the stream; the client resumes from its last id
          request.log.warn({ err: error }, 'live stream failed');
        } finally {
          res.end();
        }
        return { status: 'hijacked' };
      } finally {
        slot.release();
        control.dispose();
      }
    },
  });
