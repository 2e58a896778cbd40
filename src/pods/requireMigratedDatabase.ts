import type { Aggregate } from '../aggregate/index.js';
import { createOrm, runtimeMigrationNames } from '../db/index.js';
import { ChronicleError } from '../errors/index.js';
import { createEventSchemas } from '../eventSchemas/index.js';
import { query, requirePersonalDataKeys } from '../eventStore/index.js';

/** 42P01: a table the query names does not exist (es_migrations, on a database never migrated). */
const isMissingTable = (error: unknown) => (error as { code?: unknown }).code === '42P01';

/** The runtime migrations of this release the database has not applied. */
const missingRuntimeMigrations = async (db: Parameters<typeof query>[0]): Promise<string[]> => {
  const applied = new Set(
    (await query<{ name: string }>(db, 'select name from es_migrations')).map((row) => row.name),
  );
  return runtimeMigrationNames.filter((name) => !applied.has(name));
};

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
  { checkKeys = true }: { readonly checkKeys?: boolean } = {},
): Promise<void> => {
  const orm = await createOrm(databaseUrl, { poolSize: 1 });
  const knex = orm.em.getKnex();
  try {
    const missing = await missingRuntimeMigrations(knex).catch((error: unknown) => {
      if (isMissingTable(error)) return [...runtimeMigrationNames];
      throw error;
    });
    if (missing.length > 0)
      throw new ChronicleError(
        'CONFIGURATION',
        `the database lacks ${missing.length} of this release's runtime migrations (${missing.join(', ')}): run \`chronicle migrate\` before starting pods`,
      );
    if (checkKeys) await requirePersonalDataKeys(knex, createEventSchemas(aggregates));
  } finally {
    await orm.close(true);
  }
};
