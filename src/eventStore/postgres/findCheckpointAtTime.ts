import { type Checkpoint, compareCheckpoints, startOfStream } from '../checkpoint.js';
import { horizonCte } from './horizonSql.js';
import { type Db, query } from './sql.js';

type Row = {
  found: boolean;
  before_transaction_id: string | null;
  before_position: string | null;
  tail_transaction_id: string | null;
  tail_position: string | null;
};

const sql = `with ${horizonCte},
  first as materialized (
    select transaction_id, global_position from es_events where recorded_at >= ?
    order by recorded_at, global_position limit 1
  ),
  before_first as (
    -- scalar subqueries, not a join: the comparison is then an index condition (a join walked
    -- es_events_transaction_order back from the head to the first event)
    select transaction_id, global_position from es_events
    where (transaction_id, global_position)
      < ((select transaction_id from first), (select global_position from first))
    order by transaction_id desc, global_position desc limit 1
  ),
  tail as (
    select transaction_id, global_position from es_events
    where transaction_id < (select xmin from horizon)
    order by transaction_id desc, global_position desc limit 1
  )
  select exists (select 1 from first) as found,
    (select transaction_id::text from before_first) as before_transaction_id,
    (select global_position from before_first) as before_position,
    (select transaction_id::text from tail) as tail_transaction_id,
    (select global_position from tail) as tail_position`;

const checkpoint = (transactionId: string | null, position: string | null): Checkpoint | undefined =>
  transactionId === null ? undefined : { transactionId, globalPosition: Number(position) };

/**
 * Where a feed that starts at `time` starts: the event just before (in commit order) the first
 * event recorded at or after `time`, found in one descent of es_events_recorded_at and one of
 * es_events_transaction_order; the start of the store when that first event is the first of all;
 * the newest event when none was recorded since. Never past the horizon (see horizonSql): a
 * transaction still open cannot commit behind the checkpoint, so a client paging on from it misses
 * nothing.
 */
export const findCheckpointAtTime = async (db: Db, time: string): Promise<Checkpoint> => {
  const [row] = await query<Row>(db, sql, [time]);
  const tail = checkpoint(row?.tail_transaction_id ?? null, row?.tail_position ?? null) ?? startOfStream;
  if (!row?.found) return tail;
  const before = checkpoint(row.before_transaction_id, row.before_position) ?? startOfStream;
  return compareCheckpoints(before, tail) <= 0 ? before : tail;
};
