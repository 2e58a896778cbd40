import type { ChronicleConfig } from '../config/index.js';
import { createOrm, type Orm } from '../db/index.js';
import { requireServices } from '../services/index.js';

/**
 * One short-lived database connection for a CLI verb, closed whatever happens. An unreachable
 * server is a `ServiceUnreachableError` (one line for the user), found before MikroORM tries.
 * It follows DATABASE_PREPARED_STATEMENTS as the pods do, so a verb works behind PgBouncer too.
 */
export const withOrm = async <T>(config: ChronicleConfig, fn: (orm: Orm) => Promise<T>): Promise<T> => {
  const { databaseUrl } = config;
  await requireServices({ databaseUrl }, ['postgres']);
  const orm = await createOrm(databaseUrl, {
    poolSize: 2,
    preparedStatements: config.databasePreparedStatements,
  });
  try {
    return await fn(orm);
  } finally {
    await orm.close(true);
  }
};
