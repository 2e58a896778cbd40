import type { Knex } from '@mikro-orm/postgresql';

/** A connection or a transaction: every operation runs on either. */
export type Db = Knex | Knex.Transaction;

/**
 * Runs one parameterised statement (knex `?` placeholders) and returns its rows. A `prepareAs` name
 * makes it a named prepared statement: each pooled connection parses and plans it once and then only
 * binds and executes it (for the hot path, where parsing a long statement costs more than running
 * it). A name stands for one SQL text.
 */
export const query = async <Row>(
  db: Db,
  sql: string,
  params: readonly unknown[] = [],
  prepareAs?: string,
) => {
  const statement = db.raw<{ rows: Row[] }>(sql, params as Knex.RawBinding[]);
  const result = await (prepareAs ? statement.options({ name: prepareAs }) : statement);
  return result.rows;
};
