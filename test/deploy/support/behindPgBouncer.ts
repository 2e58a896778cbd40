import type { ChronicleConfig } from '../../../src/config/index.js';
import { type CommandPath, createCommandPath } from '../../support/commandPath.js';
import { type PrivatePgBouncer, startPrivatePgBouncer } from '../../support/privatePgBouncer.js';

/**
 * Each engine's pool. An event-stream engine holds at most one batch transaction with it (one
 * connection fewer than its pool); the snapshot and process-manager engines' batches need a second
 * connection while theirs stays open, so together they hold at most two of the bouncer's four
 * server connections and the others serve the statements they wait for (docs/operations.md,
 * "Behind PgBouncer"). With pools of 3 they could hold all four and wait for each other.
 */
const POOL_SIZE = 2;

export type BehindPgBouncer = {
  /** The test's own database, queues and command client; `path.db.orm` goes straight to PostgreSQL. */
  readonly path: CommandPath;
  readonly bouncer: PrivatePgBouncer;
  /**
   * A pod's configuration behind the bouncer: `databaseUrl` through it, named prepared statements
   * off, the LISTEN session straight to PostgreSQL, a pool of POOL_SIZE.
   */
  readonly config: ChronicleConfig;
  /** The same, as a pod process or CLI verb reads it from its environment. */
  readonly podEnv: Record<string, string>;
  /** Stops the bouncer after the path (its workers, client, database and queues). */
  close(): Promise<void>;
};

/**
 * A command path (database, queues, client) and a private PgBouncer in transaction mode in front of
 * its PostgreSQL, with four server connections: each transaction of a client may land on another,
 * where a statement prepared on the last one does not exist (26000).
 */
export const startBehindPgBouncer = async (): Promise<BehindPgBouncer> => {
  const path = await createCommandPath();
  const url = new URL(path.db.url);
  let bouncer: PrivatePgBouncer;
  try {
    bouncer = await startPrivatePgBouncer({ host: url.hostname, port: Number(url.port || 5432) });
  } catch (error) {
    await path.close();
    throw error;
  }
  const databaseUrl = bouncer.urlFor(path.db.url);
  return {
    path,
    bouncer,
    config: {
      ...path.config,
      databaseUrl,
      databaseListenUrl: path.db.url,
      databasePreparedStatements: false,
      databasePoolSize: POOL_SIZE,
    },
    podEnv: {
      ...path.podEnv,
      DATABASE_URL: databaseUrl,
      DATABASE_LISTEN_URL: path.db.url,
      DATABASE_PREPARED_STATEMENTS: 'false',
      DATABASE_POOL_SIZE: String(POOL_SIZE),
    },
    close: async () => {
      await path.close();
      await bouncer.stop();
    },
  };
};
