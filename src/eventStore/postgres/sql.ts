import type { Knex } from '@mikro-orm/postgresql';
import { PREPARED_STATEMENTS_OPTION } from '../../db/preparedStatements.js';

/** A connection or a transaction: every operation runs on either. */
export type Db = Knex | Knex.Transaction;

/** Whether `db` is a caller's transaction (its statements commit with it), not the pool. */
export const isTransaction = (db: Db): db is Knex.Transaction =>
  (db as { isTransaction?: boolean }).isTransaction === true;

/** The driver's side of knex's pool (or of a transaction's one connection), as `query` uses it. */
type DriverClient = {
  acquireConnection(): Promise<DriverConnection>;
  releaseConnection(connection: DriverConnection): Promise<unknown>;
  positionBindings(sql: string): string;
  config?: { [PREPARED_STATEMENTS_OPTION]?: boolean };
};
type DriverConnection = {
  query(config: { name?: string; text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
  /** The names node-postgres believes this connection has prepared. */
  parsedStatements?: Record<string, string>;
};

/** A prepared statement's text with `$1`… placeholders, rewritten once per name. */
const preparedTexts = new Map<string, string>();

/**
 * Runs one parameterised statement (knex `?` placeholders) and returns its rows. A `prepareAs` name
 * makes it a named prepared statement: each pooled connection parses and plans it once and then only
 * binds and executes it (for the hot path, where parsing a long statement costs more than running
 * it). A named statement also goes straight to the driver, on a connection of knex's pool or the
 * transaction's own, skipping knex's per-query work (placeholder rewriting, runner, MikroORM's
 * wrapper): measured on a plain select, 237-274 µs of Node CPU through knex against 116-155 µs.
 * A name stands for one SQL text. With prepared statements off (PREPARED_STATEMENTS_OPTION) it
 * still goes straight to the driver, as an unnamed statement: parsed, bound and run in one
 * exchange, so it holds on any server connection a pooler gives. A named statement the server
 * connection turns out not to have (26000) is forgotten on this connection, so the retry that
 * classifyFailure allows parses it again; one it has already (42P05) is remembered, so the retry
 * only binds it.
 */
export const query = async <Row>(
  db: Db,
  sql: string,
  params: readonly unknown[] = [],
  prepareAs?: string,
): Promise<Row[]> => {
  if (!prepareAs) return (await db.raw<{ rows: Row[] }>(sql, params as Knex.RawBinding[])).rows;
  const driver = db.client as DriverClient;
  let text = preparedTexts.get(prepareAs);
  if (text === undefined) {
    text = driver.positionBindings(sql);
    preparedTexts.set(prepareAs, text);
  }
  const named = driver.config?.[PREPARED_STATEMENTS_OPTION] !== false;
  const connection = await driver.acquireConnection();
  try {
    return (
      await connection.query(named ? { name: prepareAs, text, values: params } : { text, values: params })
    ).rows as Row[];
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '26000' && connection.parsedStatements) delete connection.parsedStatements[prepareAs];
    // the server connection has it already (another client prepared it there): bind it next time
    if (code === '42P05' && connection.parsedStatements) connection.parsedStatements[prepareAs] = text;
    throw error;
  } finally {
    await driver.releaseConnection(connection);
  }
};
