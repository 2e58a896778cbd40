import { machineHash, type PersistedAggregateState } from '../aggregate/index.js';
import type { EventChain, EventSchemas } from '../eventSchemas/index.js';
import { type EventStore, type ReadStreamOptions, readFromSnapshot } from '../eventStore/index.js';
import type { ProcessManager } from './defineProcessManager.js';
import { foldProcessStream, type PendingDeadline, type ProcessState } from './processState.js';
import type { ProcessOutput } from './processTypes.js';

/**
 * The JSON form of an instance's state, as es_snapshots stores it: the machine's value and context
 * (as an aggregate's), the pending deadlines, and every handled input with its outputs, exactly,
 * so a redelivered input re-sends what it decided the first time. The version is the snapshot's.
 */
export type PersistedProcessState = PersistedAggregateState & {
  readonly deadlines: Readonly<Record<string, PendingDeadline>>;
  readonly handled: readonly (readonly [inputId: string, outputs: readonly ProcessOutput[]])[];
};

const hashes = new WeakMap<EventSchemas, Map<ProcessManager, string>>();

/**
 * The machine hash an instance's snapshots are written and restored with: the machine's, plus the
 * schemas (versions, upcasters, old names) of the event types it correlates, in every stream type,
 * since its recorded inputs are folded in their current shape. A snapshot folded by another
 * machine or under other schemas is ignored.
 */
export const processSnapshotHash = (processManager: ProcessManager, schemas: EventSchemas): string => {
  const known = hashes.get(schemas) ?? new Map<ProcessManager, string>();
  hashes.set(schemas, known);
  const cached = known.get(processManager);
  if (cached) return cached;
  const handled: Record<string, EventChain> = {};
  for (const [streamType, stream] of schemas.streams)
    for (const [type, chain] of stream.types)
      if (processManager.correlate[type]) handled[`${streamType}.${type}`] = chain;
  const hash = machineHash(processManager.machine, '', handled);
  known.set(processManager, hash);
  return hash;
};

export const persistProcessState = (state: ProcessState): PersistedProcessState =>
  structuredClone({
    value: state.snapshot.value,
    context: state.snapshot.context,
    deadlines: state.deadlines,
    handled: [...state.handled],
  });

const restoreProcessState = (
  processManager: ProcessManager,
  persisted: PersistedProcessState,
  version: number,
): ProcessState => ({
  snapshot: processManager.machine.resolveState({
    value: persisted.value,
    context: persisted.context,
  } as never),
  version,
  deadlines: persisted.deadlines,
  handled: new Map(persisted.handled),
});

export type ProcessHydration = {
  readonly state: ProcessState;
  readonly fromSnapshot: boolean;
  /** The stored events folded on top of the snapshot (all of them without one). */
  readonly eventsFolded: number;
};

/**
 * An instance's state, as the process-manager worker, the snapshot worker and the read API see it:
 * the latest snapshot (only one of this machine and these schemas, not past `toVersion`), then the
 * events after it, up to `toVersion` when given.
 */
export const hydrateProcess = async (
  store: EventStore,
  schemas: EventSchemas,
  processManager: ProcessManager,
  key: string,
  options: Pick<ReadStreamOptions, 'toVersion'> = {},
): Promise<ProcessHydration> => {
  const { snapshot, events } = await readFromSnapshot(
    store,
    { streamType: processManager.name, streamId: key },
    processSnapshotHash(processManager, schemas),
    options,
  );
  // the hash is a process manager's: the state is one snapshotProcess wrote
  const start =
    snapshot &&
    restoreProcessState(processManager, snapshot.state as PersistedProcessState, snapshot.version);
  return {
    state: foldProcessStream(processManager, schemas, events, start),
    fromSnapshot: snapshot !== undefined,
    eventsFolded: events.length,
  };
};
