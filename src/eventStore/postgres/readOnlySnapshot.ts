import type { Knex } from '@mikro-orm/postgresql';

/**
 * Runs `fn` in one REPEATABLE READ, READ ONLY transaction: every read sees the store as it was at
 * the first one, nothing can be written, and it is rolled back at the end whatever happens. For
 * long readers (`chronicle what-if`) that must see one consistent store and change none of it.
 */
export const readOnlySnapshot = async <T>(
  knex: Knex,
  fn: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> => {
  const trx = await knex.transaction();
  try {
    await trx.raw('set transaction isolation level repeatable read, read only');
    return await fn(trx);
  } finally {
    await trx.rollback().catch(() => {});
  }
};
