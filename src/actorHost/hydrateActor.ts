import { type Aggregate, AggregateInstance } from '../aggregate/index.js';
import type { EventStore } from '../eventStore/index.js';

export type Hydration = {
  readonly actor: AggregateInstance;
  readonly fromSnapshot: boolean;
  readonly eventsFolded: number;
};

/**
 * Latest snapshot (only if taken by this very machine definition), then the events after it.
 * A snapshot of another machine version is ignored and the whole stream is folded.
 */
export const hydrateActor = async (
  store: EventStore,
  aggregate: Aggregate,
  id: string,
): Promise<Hydration> => {
  const { snapshot, events } = await store.readToFold(
    { streamType: aggregate.type, streamId: id },
    aggregate.machineHash,
  );
  const actor = AggregateInstance.hydrate(aggregate, id, snapshot, events);
  return { actor, fromSnapshot: snapshot !== undefined, eventsFolded: events.length };
};
