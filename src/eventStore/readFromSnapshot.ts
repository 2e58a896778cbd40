import type { EventStore, ReadStreamOptions, StoredSnapshot, StreamRef } from './eventStore.js';

/**
 * What hydrating a stream reads: its latest snapshot, only if taken with `machineHash` (of this
 * machine and these event schemas) and not past `toVersion`, then the events after it (up to
 * `toVersion`). Without a usable snapshot, every event from the first. The events are read whole
 * (`readStream`); `EventStore.readToFold` reads only what an aggregate's fold needs.
 */
export const readFromSnapshot = async (
  store: EventStore,
  stream: StreamRef,
  machineHash: string,
  { toVersion }: Pick<ReadStreamOptions, 'toVersion'> = {},
) => {
  const stored = await store.readSnapshot(stream);
  const snapshot: StoredSnapshot | undefined =
    stored && stored.machineHash === machineHash && (toVersion === undefined || stored.version <= toVersion)
      ? stored
      : undefined;
  const events = await store.readStream(stream, {
    afterVersion: snapshot?.version ?? 0,
    ...(toVersion === undefined ? {} : { toVersion }),
  });
  return { snapshot, events };
};
