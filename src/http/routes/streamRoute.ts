import { z } from 'zod';
import { startOfStream } from '../../eventStore/index.js';
import type { ApiContext } from '../apiContext.js';
import { badRequest, HttpError } from '../httpError.js';
import { type ApiRoute, defineRoute } from '../route.js';
import { writeEventStream } from '../stream/eventStream.js';
import { decodePosition } from '../stream/positionToken.js';
import { createStreamSlots, type SlotAnswer } from '../stream/streamSlots.js';
import { streamTail } from '../stream/streamTail.js';
import { AggregateId, AggregateType } from './schemas.js';

const EVENT_STREAM = 'text/event-stream; charset=utf-8';

const StreamQuery = z.strictObject({
  aggregateType: AggregateType.optional(),
  aggregateId: AggregateId.optional(),
  /** An event type. */
  type: z.string().min(1).max(200).optional(),
  /** A position token (an SSE id) to start after; `Last-Event-ID` wins when both are sent. */
  after: z.string().max(50).optional(),
  /** Without a position: `now` (default) sends only new events, `start` the whole history. */
  from: z.enum(['now', 'start']).default('now'),
});

/** The refusal for a stream that found no free slot. */
const refusal = (answer: Exclude<SlotAnswer, { status: 'taken' }>, principalId: string): HttpError =>
  answer.status === 'pod-full'
    ? new HttpError(
        503,
        'TOO_MANY_STREAMS',
        'this pod serves its maximum of live streams; retry later',
        undefined,
        {
          'retry-after': '5',
        },
      )
    : new HttpError(
        429,
        'TOO_MANY_STREAMS_FOR_CALLER',
        `${principalId} already holds ${answer.max} live streams on this pod; close one first`,
        undefined,
        { 'retry-after': '5' },
      );

export const streamRoute = (ctx: ApiContext): ApiRoute => {
  const slots = createStreamSlots(ctx.settings.stream.maxConnections, ctx.settings.stream.maxPerPrincipal);
  return defineRoute({
    method: 'GET',
    url: '/v1/stream',
    access: 'read',
    tag: 'events',
    summary:
      'Live events as Server-Sent Events; resumable with Last-Event-ID (`<transactionId>-<globalPosition>`)',
    query: StreamQuery,
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
      const resumeAfter = token === undefined ? undefined : decodePosition(token);
      if (token !== undefined && !resumeAfter) {
        throw badRequest(
          'Last-Event-ID / after: expected a position token "<transactionId>-<globalPosition>"',
        );
      }
      // HEAD asks what a GET would answer: the headers, never an open stream
      if (request.method === 'HEAD') return { status: 200, body: '', contentType: EVENT_STREAM };
      const principalId = principal?.id ?? `ip:${request.ip}`;
      // taken before any await: concurrent opens are all counted against the caps
      const answer = slots.take(principalId);
      if (answer.status !== 'taken') throw refusal(answer, principalId);
      const controller = new AbortController();
      const stop = () => controller.abort();
      ctx.closing.addEventListener('abort', stop, { once: true });
      try {
        const after = resumeAfter ?? (query.from === 'start' ? startOfStream : await streamTail(ctx.knex));
        reply.hijack();
        const res = reply.raw;
        res.on('close', stop);
        if (res.destroyed) stop();
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
            db: ctx.knex,
            schemas: ctx.registry.schemas,
            wakeup: ctx.wakeup,
            filter: {
              ...(query.aggregateType ? { aggregateType: query.aggregateType } : {}),
              ...(query.aggregateId ? { aggregateId: query.aggregateId } : {}),
              ...(query.type ? { eventType: query.type } : {}),
            },
            after,
            signal: controller.signal,
            pollMs: ctx.settings.stream.pollMs,
            heartbeatMs: ctx.settings.stream.heartbeatMs,
          });
        } catch (error) {
          // headers are gone: all that is left is to end the stream; the client resumes from its last id
          request.log.warn({ err: error }, 'live stream failed');
        } finally {
          res.end();
        }
        return { status: 'hijacked' };
      } finally {
        answer.slot.release();
        ctx.closing.removeEventListener('abort', stop);
      }
    },
  });
};
