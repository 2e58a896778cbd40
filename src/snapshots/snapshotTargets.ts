import type { AggregateRegistry } from '../aggregate/index.js';
import { ChronicleError } from '../errors/index.js';
import type { EventStore } from '../eventStore/index.js';
import { type ProcessManager, processSnapshotHash } from '../processManagers/index.js';
import { type SnapshotCause, type SnapshotResult, snapshotAggregate } from './snapshotAggregate.js';
import { snapshotProcess } from './snapshotProcess.js';

/** A stream type the snapshot worker keeps snapshots of: an aggregate type or a process manager. */
export type SnapshotTarget = {
  readonly streamType: string;
  /** The hash its snapshots are written with: a snapshot of another one counts as none. */
  readonly machineHash: string;
  readonly snapshotEvery: number;
  snapshot(store: EventStore, id: string, cause?: SnapshotCause): Promise<SnapshotResult>;
};

/** The snapshot targets of a deployment, by stream type. */
export type SnapshotTargets = ReadonlyMap<string, SnapshotTarget>;

/**
 * The aggregates' and process managers' streams as snapshot targets. A process manager's events
 * are read with the aggregates' schemas (its inputs are their events), so its hash includes them.
 */
export const snapshotTargets = (
  registry: AggregateRegistry,
  processManagers: readonly ProcessManager[] = [],
): SnapshotTargets => {
  const targets = new Map<string, SnapshotTarget>();
  for (const type of registry.types) {
    const aggregate = registry.get(type);
    targets.set(type, {
      streamType: type,
      machineHash: aggregate.machineHash,
      snapshotEvery: aggregate.snapshotEvery,
      snapshot: (store, id, cause) => snapshotAggregate(store, aggregate, id, cause),
    });
  }
  for (const processManager of processManagers) {
    if (targets.has(processManager.name))
      throw new ChronicleError(
        'CONFIGURATION',
        `process manager "${processManager.name}" has the name of an aggregate type`,
      );
    targets.set(processManager.name, {
      streamType: processManager.name,
      machineHash: processSnapshotHash(processManager, registry.schemas),
      snapshotEvery: processManager.snapshotEvery,
      snapshot: (store, key, cause) => snapshotProcess(store, registry.schemas, processManager, key, cause),
    });
  }
  return targets;
};
