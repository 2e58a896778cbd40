import { type Db, query } from './sql.js';

export type PartitionLayout =
  | { readonly status: 'ready' }
  /** Stored checkpoints were made for another partition count: they would not match the hash. */
  | { readonly status: 'mismatch'; readonly stored: readonly number[] };

/** Creates the checkpoint rows of a new subscription; refuses a layout that changed since. */
export const ensurePartitions = async (
  db: Db,
  name: string,
  partitions: number,
): Promise<PartitionLayout> => {
  await query(
    db,
    `insert into es_checkpoints (subscription, partition, partitions)
     select ?, p, ? from generate_series(0, ? - 1) p
     where not exists (select 1 from es_checkpoints where subscription = ?)
     on conflict do nothing`,
    [name, partitions, partitions, name],
  );
  const rows = await query<{ partitions: number; count: string }>(
    db,
    'select partitions, count(*) as count from es_checkpoints where subscription = ? group by partitions',
    [name],
  );
  const [only] = rows;
  if (rows.length === 1 && only?.partitions === partitions && Number(only.count) === partitions)
    return { status: 'ready' };
  return { status: 'mismatch', stored: rows.map((row) => row.partitions) };
};
