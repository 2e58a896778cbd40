import type { Knex } from '@mikro-orm/postgresql';

/** A connection or a transaction: every operation runs on either. */
export type Db = Knex | Knex.Transaction;

/** Runs one parameterised statement (knex `?` placeholders) and returns its rows. */
export const query = async <Row>(db: Db, sql: string, params: readonly unknown[] = []) => {
  const result = await db.raw<{ rows: Row[] }>(sql, params as Knex.RawBinding[]);
  return result.rows;
};
