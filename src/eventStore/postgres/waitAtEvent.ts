import type { PartitionWaiting, WaitingRecord } from '../partitionFailure.js';
import { type Db, query } from './sql.js';

/**
 * Records the event the partition waits at and gives the lease up, so a worker that reads the
 * event's version takes it (the worker must still hold it). The partition stays active and its
 * attempts are not counted: nothing failed. Returns whether the partition was still this worker's.
 */
export const waitAtEvent = async (
  db: Db,
  target: { readonly name: string; readonly partition: number; readonly owner: string },
  waiting: WaitingRecord,
): Promise<boolean> => {
  const rows = await query<{ partition: number }>(
    db,
    `update es_checkpoints
     set waiting = ?::jsonb || jsonb_build_object('at', now()), owner = null, lease_expires_at = null,
       updated_at = now()
     where subscription = ? and partition = ? and owner = ? and status = 'active'
     returning partition`,
    [JSON.stringify(waiting), target.name, target.partition, target.owner],
  );
  return rows.length > 0;
};

/** The partitions of a subscription that wait at an event, with it. */
export const readWaitingPartitions = async (
  db: Db,
  name: string,
): Promise<{ readonly partition: number; readonly waiting: PartitionWaiting }[]> =>
  query<{ partition: number; waiting: PartitionWaiting }>(
    db,
    `select partition, waiting from es_checkpoints
     where subscription = ? and waiting is not null and status = 'active' order by partition`,
    [name],
  );
