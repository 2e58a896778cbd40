import type { Knex } from '@mikro-orm/postgresql';
import type { AggregateRegistry } from '../aggregate/index.js';
import { type EventStore, streamsDueForSnapshot } from '../eventStore/index.js';
import { snapshotAggregate } from './snapshotAggregate.js';

export type SweepResult = { readonly scanned: number; readonly taken: number };

/**
 * Catches the streams the event-stream reading missed (a worker down, a machine changed so old
 * snapshots no longer count): every stream past its policy, oldest activity first, up to `limit`
 * per aggregate type per run.
 */
export const sweepSnapshots = async (
  db: Knex,
  store: EventStore,
  registry: AggregateRegistry,
  { limit = 500 }: { readonly limit?: number } = {},
): Promise<SweepResult> => {
  let scanned = 0;
  let taken = 0;
  for (const type of registry.types) {
    const aggregate = registry.get(type);
    const due = await streamsDueForSnapshot(db, {
      streamType: type,
      machineHash: aggregate.machineHash,
      snapshotEvery: aggregate.snapshotEvery,
      limit,
    });
    scanned += due.length;
    for (const streamId of due) {
      const result = await snapshotAggregate(store, aggregate, streamId);
      if (result.status === 'taken') taken++;
    }
  }
  return { scanned, taken };
};
