import type { Knex } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import { query } from '../eventStore/index.js';
import { countDeadLetters } from './deadLetters.js';

export type StoreStats = {
  readonly events: number;
  readonly streams: number;
  /** The newest global position. */
  readonly head: number;
  readonly aggregates: Readonly<Record<string, { readonly streams: number; readonly events: number }>>;
  readonly commands: { readonly waiting: number; readonly active: number; readonly deadLetters: number };
};

/**
 * Counts for the dashboard. Streams and their versions come from es_streams (one row per stream),
 * so no count runs over the event table itself.
 */
export const readStats = async (db: Knex, queues: readonly Queue[]): Promise<StoreStats> => {
  const rows = await query<{ stream_type: string; streams: string; events: string }>(
    db,
    'select stream_type, count(*) as streams, coalesce(sum(version), 0) as events from es_streams group by stream_type order by stream_type',
  );
  const [head] = await query<{ head: string | null }>(
    db,
    'select max(global_position) as head from es_events',
  );
  const counts = await Promise.all(
    queues.map((queue) => queue.getJobCounts('waiting', 'prioritized', 'active')),
  );
  const aggregates = Object.fromEntries(
    rows.map((row) => [row.stream_type, { streams: Number(row.streams), events: Number(row.events) }]),
  );
  return {
    events: rows.reduce((sum, row) => sum + Number(row.events), 0),
    streams: rows.reduce((sum, row) => sum + Number(row.streams), 0),
    head: Number(head?.head ?? 0),
    aggregates,
    commands: {
      waiting: counts.reduce((sum, c) => sum + (c.waiting ?? 0) + (c.prioritized ?? 0), 0),
      active: counts.reduce((sum, c) => sum + (c.active ?? 0), 0),
      deadLetters: await countDeadLetters(queues),
    },
  };
};
