import type { Knex } from '@mikro-orm/postgresql';
import { query } from './sql.js';

/** Subscriptions LISTEN on this channel; the payload is the stream type. */
export const EVENTS_CHANNEL = 'chronicle_events';

/**
 * Calls `send` with every item added while no call is in flight: at most one call at a time, and
 * an item added during one goes into the next, so the last item added is always sent after it
 * was added. A failed call is dropped (`send` decides what a failure means).
 */
export const coalesced = <Item>(send: (items: Item[]) => Promise<unknown>): ((item: Item) => void) => {
  const pending = new Set<Item>();
  let sending = false;
  const flush = async () => {
    sending = true;
    try {
      while (pending.size > 0) {
        const items = [...pending];
        pending.clear();
        await send(items).catch(() => {});
      }
    } finally {
      sending = false;
    }
  };
  return (item) => {
    pending.add(item);
    if (!sending) void flush();
  };
};

const notifiers = new WeakMap<Knex, (streamType: string) => void>();

const notifySql = 'select pg_notify(?, t) from unnest(?::text[]) as t';

/**
 * Tells listeners that events of `streamType` were committed, after the append's own commit and
 * not inside it: PostgreSQL holds one global lock from a notifying transaction's pre-commit to the
 * end of its commit, WAL flush included, so appends that notify commit one at a time (measured:
 * half the append rate at 8 concurrent writers). Per pool, at most one notification statement is
 * in flight; it carries every stream type appended while the previous one ran. Inside a caller's
 * transaction the notification is queued in it, and PostgreSQL sends it at that commit.
 */
export const notifyAppended = async (knex: Knex, streamType: string): Promise<void> => {
  if ((knex as { isTransaction?: boolean }).isTransaction) {
    await query(knex, notifySql, [EVENTS_CHANNEL, [streamType]]);
    return;
  }
  let notify = notifiers.get(knex);
  if (!notify) {
    // a lost wake-up delays subscribers to their next poll; it never skips an event
    notify = coalesced((types: string[]) =>
      query(knex, notifySql, [EVENTS_CHANNEL, types], 'chronicle_notify'),
    );
    notifiers.set(knex, notify);
  }
  notify(streamType);
};
