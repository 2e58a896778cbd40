import type { Span } from '@opentelemetry/api';
import { hydrateActor } from '../actorHost/index.js';
import type { Aggregate, PersistedAggregateState } from '../aggregate/index.js';
import type { EventStore } from '../eventStore/index.js';
import { withCorrelationBaggage } from '../logging/index.js';
import type { RecordedEvent } from '../messages/index.js';
import { recordSnapshotsPruned, recordSnapshotTaken } from '../metrics/index.js';
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
const snapshotSpan = <T>(
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

/** A stream hydrated at its head, as snapshotStream needs it. */
export type HydratedHead = {
  readonly version: number;
  /** Hydrated from a usable snapshot with no event after it: nothing to write. */
  readonly current: boolean;
  persisted(): PersistedAggregateState;
};

/**
 * Snapshots a stream at its head: `hydrate` reads it from its latest usable snapshot (same hash)
 * plus the events after it; the state is written with `machineHash`. Off the command path: the
 * snapshot worker (with the event that made the stream due as `cause`), the sweep and the CLI call
 * it, for aggregates and process-manager instances alike. The span's `chronicle.aggregate.version`
 * is the version snapshotted.
 */
export const snapshotStream = (
  store: EventStore,
  target: { readonly streamType: string; readonly streamId: string; readonly machineHash: string },
  cause: SnapshotCause | undefined,
  hydrate: () => Promise<HydratedHead>,
): Promise<SnapshotResult> => {
  const { streamType, streamId, machineHash } = target;
  return snapshotSpan(streamType, streamId, cause, async (span) => {
    const head = await hydrate();
    span.setAttribute(attr.aggregateVersion, head.version);
    if (head.version === 0) return { status: 'empty', streamType, streamId };
    if (head.current) return { status: 'current', version: head.version };
    const { pruned } = await store.writeSnapshot({
      streamType,
      streamId,
      version: head.version,
      machineHash,
      state: head.persisted(),
    });
    recordSnapshotTaken({ aggregateType: streamType });
    recordSnapshotsPruned({ aggregateType: streamType, pruned });
    return { status: 'taken', streamType, streamId, version: head.version, machineHash };
  });
};

/** Snapshots an aggregate's stream at its head (snapshotStream, hydrated as the command path hydrates it). */
export const snapshotAggregate = (
  store: EventStore,
  aggregate: Aggregate,
  id: string,
  cause?: SnapshotCause,
): Promise<SnapshotResult> =>
  snapshotStream(
    store,
    { streamType: aggregate.type, streamId: id, machineHash: aggregate.machineHash },
    cause,
    async () => {
      const { actor, fromSnapshot, eventsFolded } = await hydrateActor(store, aggregate, id);
      return {
        version: actor.version,
        current: fromSnapshot && eventsFolded === 0,
        persisted: () => actor.persisted(),
      };
    },
  );
