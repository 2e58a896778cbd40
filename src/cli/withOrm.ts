import { createOrm, type Orm } from '../db/index.js';
import { requireServices } from '../services/index.js';

/**
 * One short-lived database connection for a CLI verb, closed whatever happens. An unreachable
 * server is a `ServiceUnreachableError` (one line for the user), found before MikroORM tries.
 */
export const withOrm = async <T>(databaseUrl: string, fn: (orm: Orm) => Promise<T>): Promise<T> => {
  await requireServices({ databaseUrl }, ['postgres']);
  const orm = await createOrm(databaseUrl, { poolSize: 2 });
  try {
    return await fn(orm);
  } finally {
    await orm.close(true);
  }
};
