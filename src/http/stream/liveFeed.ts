import { z } from 'zod';
import { type Checkpoint, startOfStream } from '../../eventStore/index.js';
import type { ApiContext } from '../apiContext.js';
import { badRequest, HttpError } from '../httpError.js';
import { AggregateId, AggregateType } from '../routes/schemas.js';
import type { StreamFilter } from './followEvents.js';
import { decodePosition } from './positionToken.js';
import type { SlotAnswer, StreamSlot } from './streamSlots.js';
import { streamTail } from './streamTail.js';

/** What every live feed (SSE, WebSocket, gRPC) is asked: its filters and where it starts. */
export const LiveFeedQuery = z.strictObject({
  aggregateType: AggregateType.optional(),
  aggregateId: AggregateId.optional(),
  /** An event type. */
  type: z.string().min(1).max(200).optional(),
  /** A position token (an SSE id) to start after. */
  after: z.string().max(50).optional(),
  /** Without a position: `now` (default) sends only new events, `start` the whole history. */
  from: z.enum(['now', 'start']).default('now'),
});

export type LiveFeedRequest = z.output<typeof LiveFeedQuery>;

export const feedFilter = (query: LiveFeedRequest): StreamFilter => ({
  ...(query.aggregateType ? { aggregateType: query.aggregateType } : {}),
  ...(query.aggregateId ? { aggregateId: query.aggregateId } : {}),
  ...(query.type ? { eventType: query.type } : {}),
});

/** The position to resume after, if a token was given; a malformed one is 400 INVALID_REQUEST. */
export const resumePosition = (token: string | undefined, what: string): Checkpoint | undefined => {
  if (token === undefined) return undefined;
  const position = decodePosition(token);
  if (!position) throw badRequest(`${what}: expected a position token "<transactionId>-<globalPosition>"`);
  return position;
};

/** The refusal for a feed that found no free slot. */
const refusal = (answer: Exclude<SlotAnswer, { status: 'taken' }>, principalId: string): HttpError =>
  answer.status === 'pod-full'
    ? new HttpError(
        503,
        'TOO_MANY_STREAMS',
        'this pod serves its maximum of live streams; retry later',
        undefined,
        { 'retry-after': '5' },
      )
    : new HttpError(
        429,
        'TOO_MANY_STREAMS_FOR_CALLER',
        `${principalId} already holds ${answer.max} live streams on this pod; close one first`,
        undefined,
        { 'retry-after': '5' },
      );

/**
 * A place among the pod's live feeds, whatever their transport, or the refusal thrown. Synchronous:
 * concurrent opens are all counted against the caps before any of them awaits anything.
 */
export const takeFeedSlot = (ctx: ApiContext, principalId: string): StreamSlot => {
  const answer = ctx.streams.take(principalId);
  if (answer.status !== 'taken') throw refusal(answer, principalId);
  return answer.slot;
};

/** Where the feed starts: after the resume position, else the start of the store or its tail now. */
export const feedStart = async (
  ctx: ApiContext,
  resumeAfter: Checkpoint | undefined,
  from: LiveFeedRequest['from'],
): Promise<Checkpoint> => resumeAfter ?? (from === 'start' ? startOfStream : await streamTail(ctx.knex));

/** The pod's settings for following the store, for `followEvents`. */
export const followSettings = (ctx: ApiContext) => ({
  db: ctx.knex,
  schemas: ctx.registry.schemas,
  wakeup: ctx.wakeup,
  pollMs: ctx.settings.stream.pollMs,
  heartbeatMs: ctx.settings.stream.heartbeatMs,
});

export type FeedControl = {
  readonly signal: AbortSignal;
  /** Ends the feed (the client went away). */
  stop(): void;
  /** Forgets the server's closing signal: call once the feed ended. */
  dispose(): void;
};

/** A feed's own signal, aborted by `stop()` or when the server closes. */
export const feedControl = (ctx: ApiContext): FeedControl => {
  const controller = new AbortController();
  const stop = () => controller.abort();
  ctx.closing.addEventListener('abort', stop, { once: true });
  if (ctx.closing.aborted) stop();
  return { signal: controller.signal, stop, dispose: () => ctx.closing.removeEventListener('abort', stop) };
};
