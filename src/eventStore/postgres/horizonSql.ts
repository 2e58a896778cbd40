import { readerLockKey } from './markReaderTransaction.js';

/*
 * Identity values are taken at insert, not at commit, so a reader going by global_position alone
 * skips events whose transaction commits late; subscriptions read in transaction id order instead,
 * below a horizon: the oldest transaction that may still add rows to es_events. Any transaction of
 * this database that has a transaction id may do so (`begin; insert into es_streams …; pause;
 * insert into es_events …`: it took its id long before it touched es_events), so of the
 * transactions open at the snapshot only these are passed over, each for a reason that holds for
 * its whole life:
 *   - transactions of another database (a backend never changes database);
 *   - subscription readers: they hold the reader advisory lock (markReaderTransaction), and
 *     es_events' guard trigger refuses an append from them. A reader is known by the lock it
 *     holds on its own transaction id (granted, ExclusiveLock); its other transactionid rows in
 *     pg_locks are other transactions' ids: the one it waits on for a row lock (a ShareLock, not
 *     granted), or one that just ended (granted for an instant). Those are writers like any other;
 *     passing one over skipped the events it appended once the reader's batch waited on it;
 *   - prepared transactions of another database.
 * Everything else counts, whoever wrote it: an operator's psql script, a migration, a process
 * manager. A transaction that ended after the snapshot is unknown to pg_stat_activity and so counts
 * too (its rows are invisible to this snapshot). With none, the horizon is the snapshot's xmax.
 * Transaction ids compare on their low 32 bits (pg_stat_activity and pg_locks show 32-bit xids;
 * the open transactions of a snapshot span far less than 2^31).
 */
export const horizonCte = `
  snap as materialized (select pg_current_snapshot() as s),
  passed_over as materialized (
    select backend_xid::text::bigint as xid32 from pg_stat_activity
    where backend_xid is not null
      and datid is distinct from (select oid from pg_database where datname = current_database())
    union all
    select t.transactionid::text::bigint from pg_locks a
    join pg_locks t on t.locktype = 'transactionid' and t.virtualtransaction = a.virtualtransaction
      and t.granted and t.mode = 'ExclusiveLock'
    where a.locktype = 'advisory' and a.granted and a.objsubid = 2
      and a.classid = ${readerLockKey[0]} and a.objid = ${readerLockKey[1]}
      and a.database = (select oid from pg_database where datname = current_database())
    union all
    select transaction::text::bigint from pg_prepared_xacts where database <> current_database()
  ),
  horizon as materialized (
    select coalesce(
      (select min(x) from pg_snapshot_xip((select s from snap)) as x
       where not exists (select 1 from passed_over p where p.xid32 = x::text::bigint % 4294967296)),
      pg_snapshot_xmax((select s from snap))
    ) as xmin
  )`;
