import type { Knex } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { batchSlotsOf, createBatchSlots } from './batchSlots.js';

const settled = () => new Promise((resolve) => setImmediate(resolve));

/** Takes a slot; `taken()` says whether it got one yet. */
const taking = (slots: ReturnType<typeof createBatchSlots>) => {
  let giveBack: (() => void) | undefined;
  void slots.take().then((got) => {
    giveBack = got;
  });
  return { taken: () => giveBack !== undefined, giveBack: () => giveBack?.() };
};

describe('batch slots', () => {
  it('lets `size` holders in at once, the next one as soon as one gives its slot back, once', async () => {
    const slots = createBatchSlots(2);
    const [first, second, third, fourth] = [taking(slots), taking(slots), taking(slots), taking(slots)];
    await settled();
    expect([first.taken(), second.taken(), third.taken(), fourth.taken()]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    // given back twice is given back once: the third gets in, the fourth still waits
    first.giveBack();
    first.giveBack();
    await settled();
    expect([third.taken(), fourth.taken()]).toEqual([true, false]);
    second.giveBack();
    await settled();
    expect(fourth.taken()).toBe(true);
  });

  it('has one slot at least, even for a pool of one connection', async () => {
    const slots = createBatchSlots(0);
    const only = taking(slots);
    const next = taking(slots);
    await settled();
    expect([only.taken(), next.taken()]).toEqual([true, false]);
  });
  it('are shared by the hosts on one pool: a pool of 3 lets two of them hold 2 batches in all', async () => {
    const client = { config: { pool: { max: 3 } } };
    const pool = (name: string) => ({ client, name }) as unknown as Knex;
    const projections = batchSlotsOf(pool('projections'));
    const sagas = batchSlotsOf(pool('process managers'));
    const elsewhere = batchSlotsOf({ client: { config: { pool: { max: 3 } } } } as unknown as Knex);
    const held = [taking(projections), taking(sagas), taking(sagas), taking(elsewhere)];
    await settled();
    expect(held.map((slot) => slot.taken())).toEqual([true, true, false, true]);
  });
});
