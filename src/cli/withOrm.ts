import { createOrm, type Orm } from '../db/index.js';

/** One short-lived database connection for a CLI verb, closed whatever happens. */
export const withOrm = async <T>(databaseUrl: string, fn: (orm: Orm) => Promise<T>): Promise<T> => {
  const orm = await createOrm(databaseUrl, { poolSize: 2 });
  try {
    return await fn(orm);
  } finally {
    await orm.close(true);
  }
};
