import type { EventStore, ReadStreamOptions, StoredSnapshot, StreamRef } from './eventStore.js';

type EventsAfter<Event> = (stream: StreamRef, options: ReadStreamOptions) => Promise<Event[]>;

/**
 * What hydrating a stream reads: its latest snapshot, only if taken with `machineHash` (of this
 * machine and these event schemas) and not past `toVersion`, then the events after it (up to
 * `toVersion`). Without a usable snapshot, every event from the first. The events are read whole
 * (`readStream`); `readToFoldFromSnapshot` reads only what an aggregate's fold needs.
 */
export const readFromSnapshot = (
  store: EventStore,
  stream: StreamRef,
  machineHash: string,
  options: Pick<ReadStreamOptions, 'toVersion'> = {},
) => fromSnapshot(store, stream, machineHash, options, (ref, range) => store.readStream(ref, range));

/** readFromSnapshot with the events as `readStreamToFold` reads them: what hydrating an aggregate folds. */
export const readToFoldFromSnapshot = (
  store: EventStore,
  stream: StreamRef,
  machineHash: string,
  options: Pick<ReadStreamOptions, 'toVersion'> = {},
) => fromSnapshot(store, stream, machineHash, options, (ref, range) => store.readStreamToFold(ref, range));

const fromSnapshot = async <Event>(
  store: EventStore,
  stream: StreamRef,
  machineHash: string,
  { toVersion }: Pick<ReadStreamOptions, 'toVersion'>,
  eventsAfter: EventsAfter<Event>,
) => {
  const stored = await store.readSnapshot(stream);
  const snapshot: StoredSnapshot | undefined =
    stored && stored.machineHash === machineHash && (toVersion === undefined || stored.version <= toVersion)
      ? stored
      : undefined;
  const events = await eventsAfter(stream, {
    afterVersion: snapshot?.version ?? 0,
    ...(toVersion === undefined ? {} : { toVersion }),
  });
  return { snapshot, events };
};
