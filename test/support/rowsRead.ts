import type { Knex } from '@mikro-orm/postgresql';

const countedSql = `select coalesce(sum(pg_stat_get_xact_tuples_returned(c.oid)), 0) as rows
  from pg_class c
  where c.oid = any(?::regclass[])
     or c.oid in (select indexrelid from pg_index where indrelid = any(?::regclass[]))`;

const counted = async (tx: Knex.Transaction, tables: readonly string[]) =>
  Number((await tx.raw<{ rows: { rows: string }[] }>(countedSql, [tables, tables])).rows[0]?.rows ?? 0);

/**
 * Runs `read` in a transaction of its own and answers what it returned and how many rows
 * PostgreSQL read from `tables` to answer it: rows of sequential scans plus entries of index scans,
 * from the backend's statistics (pg_stat_get_xact_tuples_returned) before and after, so the count
 * is the read's alone (the backend's figures not yet reported may hold earlier transactions'). A
 * read whose cost is flat in the history reads as many rows in a store of any size.
 */
export const rowsRead = async <T>(
  knex: Knex,
  tables: readonly string[],
  read: (tx: Knex.Transaction) => Promise<T>,
): Promise<{ readonly result: T; readonly rows: number }> =>
  knex.transaction(async (tx) => {
    const before = await counted(tx, tables);
    const result = await read(tx);
    return { result, rows: (await counted(tx, tables)) - before };
  });
