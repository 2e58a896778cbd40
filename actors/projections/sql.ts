import type { Knex } from '@mikro-orm/postgresql';

/** Runs one parameterised statement on a read model (`?` placeholders) and gives its rows. */
export const query = async <Row>(
  db: Knex | Knex.Transaction,
  sql: string,
  params: readonly unknown[] = [],
): Promise<Row[]> => (await db.raw<{ rows: Row[] }>(sql, params as Knex.RawBinding[])).rows;
