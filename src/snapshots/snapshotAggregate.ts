import type { Span } from '@opentelemetry/api';
import { hydrateActor } from '../actorHost/index.js';
import type { Aggregate } from '../aggregate/index.js';
import type { EventStore } from '../eventStore/index.js';
import { withCorrelationBaggage } from '../logging/index.js';
import type { RecordedEvent } from '../messages/index.js';
import { recordSnapshotTaken } from '../metrics/index.js';
import {
  type BatchContext,
  consumerAttributes,
  eventAttributes,
  eventTraceContext,
} from '../subscriptions/index.js';
import { attr, withSpan } from '../tracing/index.js';

export type SnapshotResult =
  | {
      readonly status: 'taken';
      readonly streamType: string;
      readonly streamId: string;
      readonly version: number;
      readonly machineHash: string;
    }
  /** The latest snapshot (of this machine) is already at the stream's head. */
  | { readonly status: 'current'; readonly version: number }
  | { readonly status: 'empty'; readonly streamType: string; readonly streamId: string };

/** The event that made a subscription take the snapshot, and where that subscription runs. */
export type SnapshotCause = { readonly event: RecordedEvent; readonly consumer: BatchContext };

/**
 * The span of a snapshot: for one caused by an event, a consumer span in the trace that appended
 * the event, with its attributes and the correlation id in the baggage; otherwise (sweep, CLI) an
 * internal span of the caller's trace.
 */
export const snapshotSpan = <T>(
  streamType: string,
  id: string,
  cause: SnapshotCause | undefined,
  fn: (span: Span) => Promise<T>,
) =>
  cause
    ? withSpan(
        'consumer',
        'snapshot take',
        {
          parent: eventTraceContext(cause.event),
          attributes: { ...eventAttributes(cause.event), ...consumerAttributes(cause.consumer, 'snapshot') },
        },
        (span) => withCorrelationBaggage(cause.event.metadata.correlationId, () => fn(span)),
      )
    : withSpan(
        'internal',
        'snapshot take',
        { attributes: { [attr.aggregateType]: streamType, [attr.aggregateId]: id } },
        fn,
      );

/**
 * Snapshots a stream at its head: hydrates from the latest usable snapshot (same machine hash) plus
 * the events after it, and writes the state with this machine's hash. Off the command path: the
 * snapshot worker (with the event that made the stream due as `cause`), the sweep and the CLI call
 * it. The span's `chronicle.aggregate.version` is the version snapshotted.
 */
export const snapshotAggregate = (
  store: EventStore,
  aggregate: Aggregate,
  id: string,
  cause?: SnapshotCause,
): Promise<SnapshotResult> =>
  snapshotSpan(aggregate.type, id, cause, async (span) => {
    const { actor, fromSnapshot, eventsFolded } = await hydrateActor(store, aggregate, id);
    try {
      span.setAttribute(attr.aggregateVersion, actor.version);
      if (actor.version === 0) return { status: 'empty', streamType: aggregate.type, streamId: id };
      if (fromSnapshot && eventsFolded === 0) return { status: 'current', version: actor.version };
      await store.writeSnapshot({
        streamType: aggregate.type,
        streamId: id,
        version: actor.version,
        machineHash: aggregate.machineHash,
        state: actor.persisted(),
      });
      recordSnapshotTaken({ aggregateType: aggregate.type });
      return {
        status: 'taken',
        streamType: aggregate.type,
        streamId: id,
        version: actor.version,
        machineHash: aggregate.machineHash,
      };
    } finally {
      actor.stop();
    }
  });
