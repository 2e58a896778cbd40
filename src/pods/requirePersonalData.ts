import type { Aggregate } from '../aggregate/index.js';
import { createOrm } from '../db/index.js';
import { createEventSchemas } from '../eventSchemas/index.js';
import { requirePersonalDataKeys } from '../eventStore/index.js';

/**
 * A pod's start-up check of its key-encryption keys (requirePersonalDataKeys) on a connection of
 * its own, closed after: a missing or wrong CHRONICLE_KEK stops the pod before it takes any work.
 */
export const requirePersonalData = async (
  databaseUrl: string,
  aggregates: readonly Aggregate[],
): Promise<void> => {
  const schemas = createEventSchemas(aggregates);
  const orm = await createOrm(databaseUrl, { poolSize: 1 });
  try {
    await requirePersonalDataKeys(orm.em.getKnex(), schemas);
  } finally {
    await orm.close(true);
  }
};
