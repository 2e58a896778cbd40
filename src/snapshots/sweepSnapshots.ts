import type { Knex } from '@mikro-orm/postgresql';
import { type EventStore, streamsDueForSnapshot } from '../eventStore/index.js';
import type { SnapshotTargets } from './snapshotTargets.js';

export type SweepResult = {
  readonly scanned: number;
  readonly taken: number;
  /** Command payloads the ledger kept past their retention, forgotten by the same periodic job. */
  readonly payloadsPruned?: number;
};

/**
 * Catches the streams the event-stream reading missed (a worker down, a machine changed so old
 * snapshots no longer count): every stream past its policy, oldest activity first, up to `limit`
 * per stream type (aggregate type or process manager) per run.
 */
export const sweepSnapshots = async (
  db: Knex,
  store: EventStore,
  targets: SnapshotTargets,
  { limit = 500 }: { readonly limit?: number } = {},
): Promise<SweepResult> => {
  let scanned = 0;
  let taken = 0;
  for (const target of targets.values()) {
    const due = await streamsDueForSnapshot(db, {
      streamType: target.streamType,
      machineHash: target.machineHash,
      snapshotEvery: target.snapshotEvery,
      limit,
    });
    scanned += due.length;
    for (const streamId of due) {
      const result = await target.snapshot(store, streamId);
      if (result.status === 'taken') taken++;
    }
  }
  return { scanned, taken };
};
