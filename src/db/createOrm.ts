import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { migrationsList } from '../../migrations/index.js';

export type Orm = MikroORM;

/**
 * One MikroORM instance per process. The event store needs no entities (its hot path is SQL through
 * this connection); migrations come from the explicit list in migrations/.
 */
export const createOrm = async (databaseUrl: string, options: { poolSize?: number } = {}): Promise<Orm> =>
  MikroORM.init({
    clientUrl: databaseUrl,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: {
      migrationsList,
      tableName: 'es_migrations',
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
    pool: { min: 0, max: options.poolSize ?? 10 },
    debug: false,
    allowGlobalContext: true,
  });
