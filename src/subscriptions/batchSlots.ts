import type { Knex } from '@mikro-orm/postgresql';

/** Waits for a free slot; the function it resolves with gives the slot back (once). */
export type BatchSlots = { take(): Promise<() => void> };

/** At most `size` holders at once (at least one); the others wait in turn. */
export const createBatchSlots = (size: number): BatchSlots => {
  let free = Math.max(1, size);
  const waiting: (() => void)[] = [];
  const giveBack = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return {
    take: async () => {
      if (free > 0) free--;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      let given = false;
      return () => {
        if (given) return;
        given = true;
        giveBack();
      };
    },
  };
};

/** knex's own default, for a pool it was not told the size of. */
const KNEX_DEFAULT_POOL_MAX = 10;

/**
 * The batch transactions a host may hold at once: one fewer than the connections of its pool. A
 * handler that works outside its batch transaction (the snapshot worker hydrates, a process manager
 * appends and records its decisions) needs a second connection while the first stays open; with
 * every connection in a batch, each batch would wait for another's connection until the pool's
 * acquire timeout, and again on the retry. The one left over also keeps the leases renewed.
 */
export const batchSlotsOf = (knex: Knex): BatchSlots => {
  const pool = (knex.client as { config?: { pool?: { max?: number } } }).config?.pool;
  return createBatchSlots((pool?.max ?? KNEX_DEFAULT_POOL_MAX) - 1);
};
