import type { EventSchemas } from '../eventSchemas/index.js';
import type { EventStore } from '../eventStore/index.js';
import {
  hydrateProcess,
  type ProcessManager,
  persistProcessState,
  processSnapshotHash,
} from '../processManagers/index.js';
import { type SnapshotCause, type SnapshotResult, snapshotStream } from './snapshotAggregate.js';

/**
 * Snapshots a process-manager instance at its head, as snapshotAggregate does an aggregate's
 * stream: its state (value, context, pending deadlines, handled inputs with their outputs) under
 * the hash of its machine and of the schemas of the events it correlates.
 */
export const snapshotProcess = (
  store: EventStore,
  schemas: EventSchemas,
  processManager: ProcessManager,
  key: string,
  cause?: SnapshotCause,
): Promise<SnapshotResult> =>
  snapshotStream(
    store,
    {
      streamType: processManager.name,
      streamId: key,
      machineHash: processSnapshotHash(processManager, schemas),
    },
    cause,
    async () => {
      const { state, fromSnapshot, eventsFolded } = await hydrateProcess(store, schemas, processManager, key);
      return {
        version: state.version,
        current: fromSnapshot && eventsFolded === 0,
        persisted: () => persistProcessState(state),
      };
    },
  );
