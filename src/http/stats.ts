import type { Knex } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import { readStoreCounts, type StoreCounts } from '../queries/index.js';
import { countDeadLetters } from './deadLetters.js';

export type StoreStats = StoreCounts & {
  readonly commands: { readonly waiting: number; readonly active: number; readonly deadLetters: number };
};

/** Counts for the dashboard: the store's figures and the queues'. */
export const readStats = async (db: Knex, queues: readonly Queue[]): Promise<StoreStats> => {
  const counts = await Promise.all(
    queues.map((queue) => queue.getJobCounts('waiting', 'prioritized', 'active')),
  );
  return {
    ...(await readStoreCounts(db)),
    commands: {
      waiting: counts.reduce((sum, c) => sum + (c.waiting ?? 0) + (c.prioritized ?? 0), 0),
      active: counts.reduce((sum, c) => sum + (c.active ?? 0), 0),
      deadLetters: await countDeadLetters(queues),
    },
  };
};
