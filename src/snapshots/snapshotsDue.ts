import type { Knex } from '@mikro-orm/postgresql';
import { readSnapshotVersions } from '../eventStore/index.js';
import type { SnapshotTargets } from './snapshotTargets.js';

export type StreamHead = { readonly streamType: string; readonly streamId: string; readonly version: number };

/**
 * The policy: a stream is due when its version has passed its last usable snapshot's version by
 * its aggregate's or process manager's `snapshotEvery` (default 100). A snapshot of another machine hash counts as none.
 */
export const snapshotsDue = async (
  db: Knex | Knex.Transaction,
  targets: SnapshotTargets,
  heads: readonly StreamHead[],
): Promise<StreamHead[]> => {
  const known = heads.filter((head) => targets.has(head.streamType));
  if (known.length === 0) return [];
  const rows = await readSnapshotVersions(db, known);
  const snapshots = new Map(rows.map((row) => [`${row.streamType}/${row.streamId}`, row]));
  return known.filter((head) => {
    const target = targets.get(head.streamType);
    const snapshot = snapshots.get(`${head.streamType}/${head.streamId}`);
    if (!target) return false;
    const last = snapshot?.machineHash === target.machineHash ? snapshot.version : 0;
    return head.version >= last + target.snapshotEvery;
  });
};
