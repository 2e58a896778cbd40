import { type Db, query } from './sql.js';

/**
 * A registered pod: `live` while its last heartbeat holds (by the database's clock), `stopped` once
 * it said so on its way out, `gone` when its heartbeats stopped (killed, or cut off).
 */
export type StoredPod = {
  readonly id: string;
  readonly kind: string;
  readonly host: string;
  readonly pid: number;
  readonly version: string;
  readonly startedAt: string;
  readonly heartbeatAt: string;
  readonly expiresAt: string;
  readonly state: 'live' | 'stopped' | 'gone';
  readonly details: Readonly<Record<string, unknown>>;
};

type Row = {
  pod_id: string;
  kind: string;
  host: string;
  pid: number;
  version: string;
  started_at: Date;
  heartbeat_at: Date;
  expires_at: Date;
  stopped: boolean;
  live: boolean;
  details: Record<string, unknown>;
};

/** Every registered pod (a row each, gone ones for an hour), by kind then id. */
export const readPods = async (db: Db): Promise<StoredPod[]> => {
  const rows = await query<Row>(
    db,
    `select pod_id, kind, host, pid, version, started_at, heartbeat_at, expires_at, details,
       stopped_at is not null as stopped, expires_at > now() as live
     from es_pods order by kind, pod_id`,
  );
  return rows.map((row) => ({
    id: row.pod_id,
    kind: row.kind,
    host: row.host,
    pid: row.pid,
    version: row.version,
    startedAt: new Date(row.started_at).toISOString(),
    heartbeatAt: new Date(row.heartbeat_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    state: row.stopped ? 'stopped' : row.live ? 'live' : 'gone',
    details: row.details,
  }));
};
