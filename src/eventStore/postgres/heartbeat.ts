import { type Db, query } from './sql.js';

/**
 * Says this worker is alive for `name`, drops workers that stopped saying so, returns how many live.
 * `listenPid`, its LISTEN session's backend pid when it has one, is how status tells it is gone.
 */
export const heartbeat = async (
  db: Db,
  name: string,
  workerId: string,
  ttlMs: number,
  listenPid?: number,
): Promise<number> => {
  await query(
    db,
    `insert into es_subscription_workers (subscription, worker_id, expires_at, connection_name, listen_pid)
     values (?, ?, now() + ? * interval '1 millisecond', nullif(current_setting('application_name'), ''), ?)
     on conflict (subscription, worker_id) do update
       set expires_at = excluded.expires_at, connection_name = excluded.connection_name,
           listen_pid = excluded.listen_pid`,
    [name, workerId, ttlMs, listenPid ?? null],
  );
  await query(db, 'delete from es_subscription_workers where subscription = ? and expires_at < now()', [
    name,
  ]);
  const [row] = await query<{ live: string }>(
    db,
    'select count(*) as live from es_subscription_workers where subscription = ?',
    [name],
  );
  return Number(row?.live ?? 1);
};
