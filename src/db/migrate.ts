import type { MigrationObject } from '@mikro-orm/core';
import { createOrm } from './createOrm.js';
import { ensureDatabase } from './ensureDatabase.js';

export type MigrationReport = {
  readonly database: 'created' | 'exists';
  readonly applied: readonly string[];
};

/**
 * Creates the database if needed and applies every pending migration in one transaction: the
 * runtime's schema first, then `domainMigrations` (the deployment's read models), each in order.
 */
export const migrate = async (
  databaseUrl: string,
  domainMigrations: readonly MigrationObject[] = [],
): Promise<MigrationReport> => {
  const database = await ensureDatabase(databaseUrl);
  const orm = await createOrm(databaseUrl, { poolSize: 1, migrations: domainMigrations });
  try {
    const applied = await orm.getMigrator().up();
    return { database, applied: applied.map((migration) => migration.name) };
  } finally {
    await orm.close(true);
  }
};
