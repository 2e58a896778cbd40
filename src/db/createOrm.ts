import type { MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { runtimeMigrations } from '../../migrations/runtime/index.js';

export type Orm = MikroORM;

export type OrmOptions = {
  readonly poolSize?: number;
  /** The domain's migrations (its read models), run after the runtime's own. */
  readonly migrations?: readonly MigrationObject[];
};

/**
 * One MikroORM instance per process. The event store needs no entities (its hot path is SQL through
 * this connection); migrations come from explicit lists: the runtime's, then the domain's.
 */
export const createOrm = async (databaseUrl: string, options: OrmOptions = {}): Promise<Orm> => {
  // MikroORM reads host, user and database from the URL but drops its parameters: carry the one we use
  const applicationName = new URL(databaseUrl).searchParams.get('application_name');
  return MikroORM.init({
    clientUrl: databaseUrl,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: {
      migrationsList: [...runtimeMigrations, ...(options.migrations ?? [])],
      tableName: 'es_migrations',
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
    pool: { min: 0, max: options.poolSize ?? 10 },
    debug: false,
    allowGlobalContext: true,
    ...(applicationName ? { driverOptions: { connection: { application_name: applicationName } } } : {}),
  });
};
