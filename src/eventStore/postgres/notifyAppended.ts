import type { Knex } from '@mikro-orm/postgresql';
import { query } from './sql.js';

/** Subscriptions LISTEN on this channel; the payload is the stream type. */
export const EVENTS_CHANNEL = 'chronicle_events';

type Pending = { readonly types: Set<string>; sending: boolean };

const pendingByPool = new WeakMap<Knex, Pending>();

const notifySql = 'select pg_notify(?, t) from unnest(?::text[]) as t';

const flush = async (knex: Knex, pending: Pending): Promise<void> => {
  pending.sending = true;
  try {
    while (pending.types.size > 0) {
      const types = [...pending.types];
      pending.types.clear();
      // a lost wake-up delays subscribers to their next poll; it never skips an event
      await query(knex, notifySql, [EVENTS_CHANNEL, types]).catch(() => {});
    }
  } finally {
    pending.sending = false;
  }
};

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
  let pending = pendingByPool.get(knex);
  if (!pending) {
    pending = { types: new Set(), sending: false };
    pendingByPool.set(knex, pending);
  }
  pending.types.add(streamType);
  if (!pending.sending) void flush(knex, pending);
};
