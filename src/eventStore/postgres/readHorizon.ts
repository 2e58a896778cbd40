import { ChronicleError } from '../../errors/index.js';
import { horizonCte } from './horizonSql.js';
import { type Db, query } from './sql.js';

/** The open transaction that holds every subscription back, as PostgreSQL shows it. */
export type HorizonBlocker = {
  /** Backend pid (null for a prepared transaction). */
  readonly pid: number | null;
  /** pg_stat_activity state (`idle in transaction`, `active`, …), `prepared`, or `ended` (it just finished). */
  readonly state: string;
  /** Seconds since the transaction began. */
  readonly ageSeconds: number;
  readonly applicationName: string | null;
  readonly transactionId: string;
};

export type Horizon = {
  /** Events of transactions below this id are all committed: subscriptions read up to it. */
  readonly transactionId: string;
  /** Committed events wait above the horizon: `blocker` is what they wait for. */
  readonly waiting: boolean;
  readonly blocker?: HorizonBlocker;
};

type Row = {
  horizon: string;
  waiting: boolean;
  open: boolean;
  pid: number | null;
  state: string | null;
  age_seconds: string | null;
  application_name: string | null;
};

const horizonQuery = `
  with ${horizonCte}
  select h.xmin::text as horizon,
    h.xmin < pg_snapshot_xmax((select s from snap)) as open,
    (select transaction_id from es_events where transaction_id >= h.xmin order by transaction_id limit 1)
      is not null as waiting,
    a.pid,
    coalesce(a.state, case when p.transaction is not null then 'prepared' else 'ended' end) as state,
    extract(epoch from now() - coalesce(a.xact_start, p.prepared)) as age_seconds,
    a.application_name
  from horizon h
  left join pg_stat_activity a on a.backend_xid::text::bigint = h.xmin::text::bigint % 4294967296
  left join pg_prepared_xacts p on p.transaction::text::bigint = h.xmin::text::bigint % 4294967296`;

/**
 * Where the subscriptions' horizon stands and, when committed events wait above it, the
 * transaction they wait for (its pid, state and age), for `projections status` and the metrics.
 */
export const readHorizon = async (db: Db): Promise<Horizon> => {
  const [row] = await query<Row>(db, horizonQuery);
  if (!row) throw new ChronicleError('INVARIANT', 'the horizon query returned no row');
  const horizon = { transactionId: row.horizon, waiting: row.waiting };
  if (!row.open || !row.waiting) return horizon;
  return {
    ...horizon,
    blocker: {
      pid: row.pid,
      state: row.state ?? 'ended',
      ageSeconds: Math.max(0, Number(row.age_seconds ?? 0)),
      applicationName: row.application_name,
      transactionId: row.horizon,
    },
  };
};
