import type { Aggregate } from '../aggregate/index.js';
import { createOrm } from '../db/index.js';
import { ChronicleError } from '../errors/index.js';
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
  } catch (error) {
    // 42P01: the key tables are not there yet; say what to run rather than show the SQL
    if ((error as { code?: unknown }).code === '42P01')
      throw new ChronicleError(
        'CONFIGURATION',
        'the database has no personal-data key tables yet: run `chronicle migrate` before starting pods',
        { cause: error },
      );
    throw error;
  } finally {
    await orm.close(true);
  }
};
