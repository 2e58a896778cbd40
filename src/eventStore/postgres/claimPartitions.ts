import { type Db, query } from './sql.js';

/** Which partitions a claim may take: none of `exclude`; with `only`, only those. */
export type ClaimScope = { readonly exclude?: readonly number[]; readonly only?: readonly number[] };

/**
 * Takes up to `max` partitions that nobody holds or whose lease has expired, within `scope` (a
 * worker leaves the partitions that wait at an event it cannot read to workers that can). `skip locked` passes
 * over rows a batch transaction holds right now: their owner is alive. Only rows laid out for
 * `partitions`: after a rebuild changed the count, a worker still on the old definition takes none.
 */
export const claimPartitions = async (
  db: Db,
  target: { readonly name: string; readonly partitions: number },
  workerId: string,
  ttlMs: number,
  max: number,
  scope: ClaimScope = {},
): Promise<number[]> => {
  if (max <= 0 || scope.only?.length === 0) return [];
  const exclude = [...(scope.exclude ?? [])];
  const only = scope.only ? [...scope.only] : null;
  const rows = await query<{ partition: number }>(
    db,
    `update es_checkpoints c set owner = ?, lease_expires_at = now() + ? * interval '1 millisecond', updated_at = now()
     from (
       select subscription, partition from es_checkpoints
       where subscription = ? and partitions = ? and status = 'active' and (owner is null or lease_expires_at < now())
         and partition <> all(?::int[]) and (?::int[] is null or partition = any(?::int[]))
       order by partition limit ? for update skip locked
     ) free
     where c.subscription = free.subscription and c.partition = free.partition
     returning c.partition`,
    [workerId, ttlMs, target.name, target.partitions, exclude, only, only, max],
  );
  return rows.map((row) => row.partition).sort((a, b) => a - b);
};
