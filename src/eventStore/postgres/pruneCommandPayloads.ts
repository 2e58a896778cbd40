import { type Db, query } from './sql.js';

/**
 * Forgets the payloads the ledger kept longer than `retentionDays` (the commands stay, with their
 * answers and causation), oldest first, `batchSize` rows a statement until none is left. Each
 * statement reads only the partial index of the kept payloads, so it costs what it prunes.
 * Returns how many it forgot.
 */
export const pruneCommandPayloads = async (
  db: Db,
  { retentionDays, batchSize = 5_000 }: { readonly retentionDays: number; readonly batchSize?: number },
): Promise<number> => {
  let pruned = 0;
  for (;;) {
    const [row] = await query<{ pruned: number }>(
      db,
      `with expired as (
         select command_id from es_commands
         where payload is not null and recorded_at < now() - make_interval(days => ?)
         order by recorded_at
         limit ?
       ),
       forgotten as (
         update es_commands c set payload = null from expired e where c.command_id = e.command_id
         returning 1
       )
       select count(*)::int as pruned from forgotten`,
      [retentionDays, batchSize],
    );
    const count = row?.pruned ?? 0;
    pruned += count;
    if (count < batchSize) return pruned;
  }
};
