import type { Aggregate } from '../aggregate/index.js';
import { createOrm, runtimeMigrationNames } from '../db/index.js';
import { ChronicleError } from '../errors/index.js';
import { createEventSchemas } from '../eventSchemas/index.js';
import { readAppliedMigrations, requirePersonalDataKeys } from '../eventStore/index.js';

/**
 * A pod's start-up check, on a connection of its own closed after: the database holds every
 * runtime migration this release needs (a pod of a newer release started before `chronicle
 * migrate` would fail on its first statement that names a new column, or lose its leases when its
 * heartbeat does), and a deployment with personal fields has the right key-encryption keys
 * (requirePersonalDataKeys). Either stops the pod, in one line, before it takes any work.
 */
export const requireMigratedDatabase = async (
  databaseUrl: string,
  aggregates: readonly Aggregate[],
): Promise<void> => {
  const orm = await createOrm(databaseUrl, { poolSize: 1 });
  const knex = orm.em.getKnex();
  try {
    const applied = await readAppliedMigrations(knex);
    const missing = runtimeMigrationNames.filter((name) => !applied.has(name));
    if (missing.length > 0)
      throw new ChronicleError(
        'CONFIGURATION',
        `the database lacks ${missing.length} of this release's runtime migrations (${missing.join(', ')}): run \`chronicle migrate\` before starting pods`,
      );
    await requirePersonalDataKeys(knex, createEventSchemas(aggregates));
  } finally {
    await orm.close(true);
  }
};
