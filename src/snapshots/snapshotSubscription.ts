import type { EventStore } from '../eventStore/index.js';
import type { SubscriptionDefinition, SubscriptionOutline } from '../subscriptions/index.js';
import type { SnapshotResult } from './snapshotAggregate.js';
import { type StreamHead, snapshotsDue } from './snapshotsDue.js';
import type { SnapshotTargets } from './snapshotTargets.js';

export type SnapshotSubscriptionOptions = {
  readonly store: EventStore;
  /** The aggregate types and process managers whose streams it snapshots. */
  readonly targets: SnapshotTargets;
  /** Default `snapshots`. */
  readonly name?: string;
  /** Default 2: snapshot workers share the streams by partition, like projections. */
  readonly partitions?: number;
  readonly onSnapshot?: (result: SnapshotResult) => void;
};

/**
 * The `snapshots` subscription as status and the cluster view see it: the streams of its targets
 * (aggregate types and process managers), 2 partitions unless told.
 */
export const snapshotOutline = (
  streamTypes: readonly string[],
  options: { readonly name?: string | undefined; readonly partitions?: number | undefined } = {},
): SubscriptionOutline => ({
  name: options.name ?? 'snapshots',
  partitions: options.partitions ?? 2,
  filter: { streamTypes: [...streamTypes] },
});

/**
 * The snapshot worker's reading of the event stream: for each batch, the newest version of every
 * stream in it; the streams past their policy are hydrated and snapshotted, each in a span whose
 * parent is the trace context stored with the stream's newest event of the batch. Writes are
 * idempotent (the newest snapshot wins), so a batch redone after a crash does no harm.
 */
export const snapshotSubscription = (options: SnapshotSubscriptionOptions): SubscriptionDefinition => ({
  ...snapshotOutline([...options.targets.keys()], options),
  handleBatch: async (events, tx, consumer) => {
    const heads = new Map<string, StreamHead & { readonly event: (typeof events)[number] }>();
    for (const event of events) {
      const key = `${event.streamType}/${event.streamId}`;
      const known = heads.get(key);
      if (!known || known.version < event.version) {
        heads.set(key, {
          streamType: event.streamType,
          streamId: event.streamId,
          version: event.version,
          event,
        });
      }
    }
    for (const head of await snapshotsDue(tx, options.targets, [...heads.values()])) {
      const { event } = heads.get(`${head.streamType}/${head.streamId}`) ?? {};
      const target = options.targets.get(head.streamType);
      if (!target) continue;
      const result = await target.snapshot(
        options.store,
        head.streamId,
        event ? { event, consumer } : undefined,
      );
      options.onSnapshot?.(result);
    }
  },
});
