import { type Db, query } from './sql.js';

/**
 * The names of the migrations the database has applied (runtime and domain), or none where
 * `chronicle migrate` never ran (no es_migrations table): read-only, so a pod's start-up check
 * creates nothing on a database it refuses.
 */
export const readAppliedMigrations = async (db: Db): Promise<ReadonlySet<string>> => {
  const [table] = await query<{ found: boolean }>(
    db,
    "select to_regclass('es_migrations') is not null as found",
  );
  if (!table?.found) return new Set();
  return new Set(
    (await query<{ name: string }>(db, 'select name from es_migrations')).map((row) => row.name),
  );
};
