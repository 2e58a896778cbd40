import { Metadata, type ServerWritableStream, status } from '@grpc/grpc-js';
import {
  drained,
  encodePosition,
  feedControl,
  feedFilter,
  feedStart,
  followEvents,
  followSettings,
  LiveFeedQuery,
  parseInput,
  resumePosition,
  type StreamSlot,
  takeFeedSlot,
} from '../http/index.js';
import { callerOf } from './callContext.js';
import { serviceError } from './grpcStatus.js';
import { eventMessage, given } from './protoMessages.js';
import { failCall, type ServiceDeps } from './serviceDeps.js';

export type SubscribeRequest = {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly eventType: string;
  readonly after: string;
  readonly fromStart: boolean;
};

/**
 * The live feed of `/v1/stream` as a server stream: the same filters, resume, caps and
 * credentials. Each message is `{ position, event }`; it runs until the caller cancels, or ends
 * with UNAVAILABLE when the server closes (resume with `after` = the last position).
 */
export const subscribe = async (
  deps: ServiceDeps,
  call: ServerWritableStream<SubscribeRequest, unknown>,
): Promise<void> => {
  const { ctx } = deps;
  let slot: StreamSlot | undefined;
  const control = feedControl(ctx);
  const signal = AbortSignal.any([control.signal, deps.closing]);
  call.on('cancelled', control.stop);
  try {
    const caller = await callerOf(deps, call, 'read');
    const { request } = call;
    const query = parseInput(
      LiveFeedQuery,
      {
        aggregateType: given(request.aggregateType),
        aggregateId: given(request.aggregateId),
        type: given(request.eventType),
        after: given(request.after),
        from: request.fromStart ? 'start' : 'now',
      },
      'query',
    );
    const resumeAfter = resumePosition(query.after, 'after');
    slot = takeFeedSlot(ctx, caller.id);
    const after = await feedStart(ctx, resumeAfter, query.from);
    // the start is fixed: the headers name it, so a caller can resume from there even before any event
    const headers = new Metadata();
    headers.set('chronicle-position', encodePosition(after));
    call.sendMetadata(headers);
    await followEvents(
      {
        event: async (event, position) => {
          if (!call.write({ position, event: eventMessage(event) })) await drained(call, signal);
        },
        // HTTP/2 pings (grpc.keepalive_time_ms) keep an idle call open
        idle: async () => {},
      },
      { ...followSettings(ctx), filter: feedFilter(query), after, signal },
    );
    if (!call.cancelled)
      call.emit(
        'error',
        serviceError(status.UNAVAILABLE, 'UNAVAILABLE', 'the server is closing; resume with `after`'),
      );
  } catch (error) {
    if (!call.cancelled) call.emit('error', failCall(deps, 'Subscribe', error));
  } finally {
    slot?.release();
    control.dispose();
  }
};
