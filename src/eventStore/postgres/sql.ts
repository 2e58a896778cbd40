import type { Knex } from '@mikro-orm/postgresql';

/** Runs one parameterised statement (knex `?` placeholders) and returns its rows. */
export const query = async <Row>(
  db: Knex | Knex.Transaction,
  sql: string,
  params: readonly unknown[] = [],
) => {
  const result = await db.raw<{ rows: Row[] }>(sql, params as Knex.RawBinding[]);
  return result.rows;
};
