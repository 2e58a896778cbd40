import type { Knex } from '@mikro-orm/postgresql';
import { deleteCheckpoints, ensurePartitions, lockSubscriptionPartitions } from '../eventStore/index.js';
import type { Projection } from './defineProjection.js';

/**
 * Rebuild in place: in one transaction (after the batches in flight commit) empty the read model and
 * put every partition back at the start of the stream, with the projection's current partition
 * count. Workers replay from there; until they catch up, readers see a partial read model.
 */
export const resetProjection = async (db: Knex, projection: Projection): Promise<void> => {
  await db.transaction(async (tx) => {
    await lockSubscriptionPartitions(tx, projection.name);
    await projection.reset(tx);
    // the runners waiting on these rows find them gone and claim the new ones at their next round
    await deleteCheckpoints(tx, projection.name);
    await ensurePartitions(tx, projection.name, projection.partitions);
  });
};
