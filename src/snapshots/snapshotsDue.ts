import type { Knex } from '@mikro-orm/postgresql';
import type { AggregateRegistry } from '../aggregate/index.js';
import { query } from '../eventStore/index.js';

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
  const rows = await query<{ stream_type: string; stream_id: string; version: number; machine_hash: string }>(
    db,
    `select s.stream_type, s.stream_id, s.version, s.machine_hash
     from es_snapshots s join unnest(?::text[], ?::text[]) as h(stream_type, stream_id)
       on s.stream_type = h.stream_type and s.stream_id = h.stream_id`,
    [known.map((head) => head.streamType), known.map((head) => head.streamId)],
  );
  const snapshots = new Map(rows.map((row) => [`${row.stream_type}/${row.stream_id}`, row]));
  return known.filter((head) => {
    const aggregate = registry.get(head.streamType);
    const snapshot = snapshots.get(`${head.streamType}/${head.streamId}`);
    const last = snapshot?.machine_hash === aggregate.machineHash ? snapshot.version : 0;
    return head.version >= last + aggregate.snapshotEvery;
  });
};
