import type { Knex } from '@mikro-orm/postgresql';
import type { AggregateRegistry } from '../aggregate/index.js';
import { readSnapshotVersions } from '../eventStore/index.js';

export type StreamHead = { readonly streamType: string; readonly streamId: string; readonly version: number };

/**
 * The policy: a stream is due when its version has passed its last usable snapshot's version by
 * the aggregate's `snapshotEvery` (default 100). A snapshot of another machine hash counts as none.
 */
export const snapshotsDue = async (
  db: Knex | Knex.Transaction,
  registry: AggregateRegistry,
  heads: readonly StreamHead[],
): Promise<StreamHead[]> => {
  const known = heads.filter((head) => registry.find(head.streamType));
  if (known.length === 0) return [];
  const rows = await readSnapshotVersions(db, known);
  const snapshots = new Map(rows.map((row) => [`${row.streamType}/${row.streamId}`, row]));
  return known.filter((head) => {
    const aggregate = registry.get(head.streamType);
    const snapshot = snapshots.get(`${head.streamType}/${head.streamId}`);
    const last = snapshot?.machineHash === aggregate.machineHash ? snapshot.version : 0;
    return head.version >= last + aggregate.snapshotEvery;
  });
};
