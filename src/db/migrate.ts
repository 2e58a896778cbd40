import { createOrm } from './createOrm.js';
import { ensureDatabase } from './ensureDatabase.js';

export type MigrationReport = {
  readonly database: 'created' | 'exists';
  readonly applied: readonly string[];
};

/** Creates the database if needed and applies every pending migration, in one transaction. */
export const migrate = async (databaseUrl: string): Promise<MigrationReport> => {
  const database = await ensureDatabase(databaseUrl);
  const orm = await createOrm(databaseUrl, { poolSize: 1 });
  try {
    const applied = await orm.getMigrator().up();
    return { database, applied: applied.map((migration) => migration.name) };
  } finally {
    await orm.close(true);
  }
};
