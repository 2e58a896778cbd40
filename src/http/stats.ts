import type { Knex } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import { readHeadPosition, readStreamCounts } from '../eventStore/index.js';
import { countDeadLetters } from './deadLetters.js';

export type StoreStats = {
  readonly events: number;
  readonly streams: number;
  /** The newest global position. */
  readonly head: number;
  readonly aggregates: Readonly<Record<string, { readonly streams: number; readonly events: number }>>;
  readonly commands: { readonly waiting: number; readonly active: number; readonly deadLetters: number };
};

/** Counts for the dashboard: streams and events per aggregate type, the head, the queues. */
export const readStats = async (db: Knex, queues: readonly Queue[]): Promise<StoreStats> => {
  const rows = await readStreamCounts(db);
  const head = await readHeadPosition(db);
  const counts = await Promise.all(
    queues.map((queue) => queue.getJobCounts('waiting', 'prioritized', 'active')),
  );
  const aggregates = Object.fromEntries(
    rows.map((row) => [row.streamType, { streams: row.streams, events: row.events }]),
  );
  return {
    events: rows.reduce((sum, row) => sum + row.events, 0),
    streams: rows.reduce((sum, row) => sum + row.streams, 0),
    head,
    aggregates,
    commands: {
      waiting: counts.reduce((sum, c) => sum + (c.waiting ?? 0) + (c.prioritized ?? 0), 0),
      active: counts.reduce((sum, c) => sum + (c.active ?? 0), 0),
      deadLetters: await countDeadLetters(queues),
    },
  };
};
