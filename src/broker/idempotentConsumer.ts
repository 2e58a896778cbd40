import { ChronicleError } from '../errors/index.js';

/** What the helper needs of a PostgreSQL connection: pg's PoolClient fits. */
export type InboxConnection = {
  query(sql: string, params?: unknown[]): Promise<{ readonly rowCount: number | null }>;
};

/** What the helper needs of a pool: pg's Pool fits. */
export type InboxPool = {
  connect(): Promise<InboxConnection & { release(error?: Error | boolean): void }>;
};

export type InboxOutcome = { readonly status: 'handled' } | { readonly status: 'duplicate' };

export type IdempotentConsumer = {
  /**
   * Runs `handle` once per event id for this consumer: in one transaction, records the id in the
   * inbox and runs `handle` on the same connection. A redelivered event answers `duplicate` without
   * running it; a failing `handle` rolls the inbox row back too, so the redelivery runs it again.
   */
  handle(
    event: { readonly eventId: string },
    handle: (tx: InboxConnection) => Promise<unknown>,
  ): Promise<InboxOutcome>;
};

const identifier = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;

const checkedTable = (table: string): string => {
  if (!identifier.test(table))
    throw new ChronicleError('CONFIGURATION', `inbox table "${table}" must match ${identifier}`);
  return table;
};

/** The inbox table, for the consuming service's own migration. Keyed by consumer and event id. */
export const inboxTableSql = (table = 'chronicle_inbox'): string =>
  `create table if not exists ${checkedTable(table)} (
  consumer text not null,
  event_id text not null,
  handled_at timestamptz not null default now(),
  primary key (consumer, event_id)
)`;

/**
 * Idempotent handling for a service that consumes Chronicle's events (JetStream delivers at least
 * once): an inbox row per (consumer, event id), written in the same PostgreSQL transaction as the
 * handler's own writes. Acknowledge the message only after `handle` resolved.
 * @example
 * const orders = createIdempotentConsumer({ pool, consumer: 'billing' });
 * for await (const msg of messages) {
 *   const event = decodePublishedEvent(msg.data);
 *   await orders.handle(event, (tx) => tx.query('insert into invoices (order_id) values ($1)', [event.streamId]));
 *   msg.ack();
 * }
 */
export const createIdempotentConsumer = (options: {
  readonly pool: InboxPool;
  /** Several consumers may share one inbox table. */
  readonly consumer: string;
  /** Default `chronicle_inbox` (create it with inboxTableSql). */
  readonly table?: string;
}): IdempotentConsumer => {
  const insert = `insert into ${checkedTable(options.table ?? 'chronicle_inbox')} (consumer, event_id)
    values ($1, $2) on conflict do nothing`;
  return {
    handle: async (event, handle) => {
      const connection = await options.pool.connect();
      try {
        await connection.query('begin');
        // a concurrent delivery of the same event waits here until the first one commits or rolls back
        const inserted = await connection.query(insert, [options.consumer, event.eventId]);
        if (inserted.rowCount === 0) {
          await connection.query('rollback');
          connection.release();
          return { status: 'duplicate' };
        }
        await handle(connection);
        await connection.query('commit');
        connection.release();
        return { status: 'handled' };
      } catch (error) {
        await connection.query('rollback').catch(() => {});
        connection.release(error instanceof Error ? error : true);
        throw error;
      }
    },
  };
};
