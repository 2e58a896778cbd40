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

/** One set of slots per pool: hosts that share a pool (`chronicle dev` runs every kind on one) share them. */
const slotsByPool = new WeakMap<object, BatchSlots>();

/**
 * The batch transactions the hosts on one pool may hold at once: one fewer than its connections.
 * A handler that works outside its batch transaction (the snapshot worker hydrates, a process
 * manager appends and records its decisions) needs a second connection while the first stays
 * open; with every connection in a batch, each batch would wait for another's connection until
 * the pool's acquire timeout, and again on the retry. The one left over also keeps the leases
 * renewed. Counted per pool, not per host: two hosts on one pool of 14 each allowed 13 would
 * hold all 14 between them.
 */
export const batchSlotsOf = (knex: Knex): BatchSlots => {
  const client = knex.client as { config?: { pool?: { max?: number } } };
  const found = slotsByPool.get(client);
  if (found) return found;
  const slots = createBatchSlots((client.config?.pool?.max ?? KNEX_DEFAULT_POOL_MAX) - 1);
  slotsByPool.set(client, slots);
  return slots;
};
