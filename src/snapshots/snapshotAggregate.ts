import type { Context } from '@opentelemetry/api';
import { hydrateActor } from '../actorHost/index.js';
import type { Aggregate } from '../aggregate/index.js';
import type { EventStore } from '../eventStore/index.js';
import { recordSnapshotTaken } from '../metrics/index.js';
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

/**
 * Snapshots a stream at its head: hydrates from the latest usable snapshot (same machine hash) plus
 * the events after it, and writes the state with this machine's hash. Off the command path: the
 * snapshot worker and the CLI call it.
 */
export const snapshotAggregate = (
  store: EventStore,
  aggregate: Aggregate,
  id: string,
  parent?: Context,
): Promise<SnapshotResult> =>
  withSpan(
    'internal',
    'snapshot take',
    {
      attributes: { [attr.aggregateType]: aggregate.type, [attr.aggregateId]: id },
      ...(parent ? { parent } : {}),
    },
    async (span) => {
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
    },
  );
