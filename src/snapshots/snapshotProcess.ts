import type { EventSchemas } from '../eventSchemas/index.js';
import type { EventStore } from '../eventStore/index.js';
import { recordSnapshotTaken } from '../metrics/index.js';
import {
  hydrateProcess,
  type ProcessManager,
  persistProcessState,
  processSnapshotHash,
} from '../processManagers/index.js';
import { attr } from '../tracing/index.js';
import { type SnapshotCause, type SnapshotResult, snapshotSpan } from './snapshotAggregate.js';

/**
 * Snapshots a process-manager instance at its head, as snapshotAggregate does an aggregate's
 * stream: hydrates it (latest usable snapshot plus the events after it) and writes its state
 * (value, context, pending deadlines, handled inputs with their outputs) with the hash of its
 * machine and of the schemas of the events it correlates.
 */
export const snapshotProcess = (
  store: EventStore,
  schemas: EventSchemas,
  processManager: ProcessManager,
  key: string,
  cause?: SnapshotCause,
): Promise<SnapshotResult> =>
  snapshotSpan(processManager.name, key, cause, async (span) => {
    const { state, fromSnapshot, eventsFolded } = await hydrateProcess(store, schemas, processManager, key);
    span.setAttribute(attr.aggregateVersion, state.version);
    if (state.version === 0) return { status: 'empty', streamType: processManager.name, streamId: key };
    if (fromSnapshot && eventsFolded === 0) return { status: 'current', version: state.version };
    const machineHash = processSnapshotHash(processManager, schemas);
    await store.writeSnapshot({
      streamType: processManager.name,
      streamId: key,
      version: state.version,
      machineHash,
      state: persistProcessState(state),
    });
    recordSnapshotTaken({ aggregateType: processManager.name });
    return {
      status: 'taken',
      streamType: processManager.name,
      streamId: key,
      version: state.version,
      machineHash,
    };
  });
