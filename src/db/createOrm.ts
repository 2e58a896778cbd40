import type { MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { runtimeMigrations } from '../../migrations/runtime/index.js';
import type { ChronicleConfig } from '../config/index.js';
import { PREPARED_STATEMENTS_OPTION } from './preparedStatements.js';

export type Orm = MikroORM;

/** The runtime's migrations by name, oldest first: what a database of this release must have applied. */
export const runtimeMigrationNames: readonly string[] = runtimeMigrations.map((migration) => migration.name);

export type OrmOptions = {
  readonly poolSize?: number | undefined;
  /** Named prepared statements on the hot path (default on); off behind PgBouncer in transaction mode. */
  readonly preparedStatements?: boolean | undefined;
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
    driverOptions: {
      ...(applicationName ? { connection: { application_name: applicationName } } : {}),
      [PREPARED_STATEMENTS_OPTION]: options.preparedStatements ?? true,
    },
  });
};

/**
 * Connections each kind of pod's pool may open when DATABASE_POOL_SIZE does not say (docs/operations.md,
 * "Connection budget"): what its work holds at once under load.
 */
export const defaultPoolSizes = {
  /** Each command holds one only for a statement (hydrate, append); one notify in flight. */
  command: 10,
  /** Concurrent HTTP reads, each one statement or a short transaction. */
  api: 10,
  /**
   * One batch transaction per partition it runs at a time (a batch may also read through the pool:
   * the snapshot worker hydrates outside its transaction), the lease heartbeat, the lag refresh.
   */
  subscription: 10,
} as const;

/**
 * A pod's ORM, as its configuration says: its pool (DATABASE_POOL_SIZE, else the default of its
 * kind) and whether named prepared statements are used (DATABASE_PREPARED_STATEMENTS). `url`:
 * `config.databaseUrl` unless the pod names its connections otherwise.
 */
export const createPodOrm = (
  config: ChronicleConfig,
  kind: keyof typeof defaultPoolSizes,
  url: string = config.databaseUrl,
): Promise<Orm> =>
  createOrm(url, {
    poolSize: config.databasePoolSize ?? defaultPoolSizes[kind],
    preparedStatements: config.databasePreparedStatements,
  });

/**
 * An engine's database pool: its own (`createPodOrm`), or one it borrows from whoever started it
 * (`chronicle dev` runs every pod kind in one process on one pool). A borrowed pool is closed by its
 * owner, never by the engine.
 */
export type PodOrmOptions = {
  /** A pool the caller owns and closes; default: the engine opens its own. */
  readonly orm?: Orm | undefined;
};

export type PodOrm = { readonly orm: Orm; close(): Promise<void> };

/** The borrowed pool when `options` gives one, else one `open` makes, closed by `close`. */
export const openPodOrm = async (options: PodOrmOptions, open: () => Promise<Orm>): Promise<PodOrm> => {
  if (options.orm) return { orm: options.orm, close: async () => {} };
  const orm = await open();
  return { orm, close: () => orm.close(true) };
};
