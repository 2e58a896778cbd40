import type { Knex } from '@mikro-orm/postgresql';
import type { AggregateRegistry } from '../aggregate/index.js';
import type { EventStore } from '../eventStore/index.js';
import { query } from '../eventStore/index.js';
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
    const due = await query<{ stream_id: string }>(
      db,
      `select s.stream_id from es_streams s
       left join es_snapshots sn on sn.stream_type = s.stream_type and sn.stream_id = s.stream_id and sn.machine_hash = ?
       where s.stream_type = ? and s.version >= coalesce(sn.version, 0) + ?
       order by s.updated_at limit ?`,
      [aggregate.machineHash, type, aggregate.snapshotEvery, limit],
    );
    scanned += due.length;
    for (const { stream_id } of due) {
      const result = await snapshotAggregate(store, aggregate, stream_id);
      if (result.status === 'taken') taken++;
    }
  }
  return { scanned, taken };
};
