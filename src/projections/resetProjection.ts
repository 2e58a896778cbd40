import type { Knex } from '@mikro-orm/postgresql';
import { query } from '../eventStore/index.js';
import { ensurePartitions } from '../subscriptions/index.js';
import type { Projection } from './defineProjection.js';

/**
 * Rebuild in place: in one transaction (after the batches in flight commit) empty the read model and
 * put every partition back at the start of the stream, with the projection's current partition
 * count. Workers replay from there; until they catch up, readers see a partial read model.
 */
export const resetProjection = async (db: Knex, projection: Projection): Promise<void> => {
  await db.transaction(async (tx) => {
    await query(
      tx,
      'select partition from es_checkpoints where subscription = ? order by partition for update',
      [projection.name],
    );
    await projection.reset(tx);
    // the runners waiting on these rows find them gone and claim the new ones at their next round
    await query(tx, 'delete from es_checkpoints where subscription = ?', [projection.name]);
    await ensurePartitions(tx, projection.name, projection.partitions);
  });
};
