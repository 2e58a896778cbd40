import { type Db, query } from './sql.js';

/** A pod as it registers itself: who it is, where it runs, and what it works on (`details`). */
export type PodIdentity = {
  /** The pod's worker id: the owner its partition leases name. */
  readonly id: string;
  readonly kind: string;
  readonly host: string;
  readonly pid: number;
  readonly version: string;
  readonly startedAt: Date;
  readonly details: Readonly<Record<string, unknown>>;
};

/** How long a gone pod's row is kept, for the view to show it as gone, before a heartbeat drops it. */
const GONE_KEPT = '1 hour';

/**
 * Says the pod is alive until `ttlMs` from now (by the database's clock, as leases are), and drops
 * the rows of pods gone for longer than an hour. One upsert and one delete on a table of a row per pod.
 */
export const recordPodHeartbeat = async (db: Db, pod: PodIdentity, ttlMs: number): Promise<void> => {
  await query(
    db,
    `insert into es_pods (pod_id, kind, host, pid, version, started_at, heartbeat_at, expires_at, details)
     values (?, ?, ?, ?, ?, ?, now(), now() + ? * interval '1 millisecond', ?::jsonb)
     on conflict (pod_id) do update set kind = excluded.kind, host = excluded.host, pid = excluded.pid,
       version = excluded.version, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at,
       expires_at = excluded.expires_at, details = excluded.details, stopped_at = null`,
    [
      pod.id,
      pod.kind,
      pod.host,
      pod.pid,
      pod.version,
      pod.startedAt.toISOString(),
      ttlMs,
      JSON.stringify(pod.details),
    ],
  );
  await query(db, `delete from es_pods where expires_at < now() - interval '${GONE_KEPT}'`);
};
