export type GroupedOptions<Item> = {
  /** Items with the same key never share a group: the later one waits for the next. */
  readonly key: (item: Item) => string;
  /** Groups in flight at once. */
  readonly inFlight: number;
  /** Items in one group at most. */
  readonly maxSize: number;
};

type Waiting<Item, Result> = {
  readonly item: Item;
  readonly resolve: (result: Result) => void;
  readonly reject: (reason: unknown) => void;
};

/**
 * Calls `send` with groups of items, each caller getting its own item's settled result. An item
 * added while fewer than `inFlight` groups are in flight goes at once (alone, when nothing else
 * waits); one added while they are all in flight waits, and every item waiting when a group ends
 * goes in the next one, in the order added. A `send` that throws rejects its whole group.
 */
export const grouped = <Item, Result>(
  send: (items: readonly Item[]) => Promise<readonly PromiseSettledResult<Result>[]>,
  { key, inFlight, maxSize }: GroupedOptions<Item>,
): ((item: Item) => Promise<Result>) => {
  const waiting: Waiting<Item, Result>[] = [];
  let running = 0;
  const nextGroup = () => {
    const keys = new Set<string>();
    const group: Waiting<Item, Result>[] = [];
    for (let index = 0; index < waiting.length && group.length < maxSize; ) {
      const itemKey = key((waiting[index] as Waiting<Item, Result>).item);
      if (keys.has(itemKey)) {
        index++;
      } else {
        keys.add(itemKey);
        group.push(...waiting.splice(index, 1));
      }
    }
    return group;
  };
  const run = async (group: readonly Waiting<Item, Result>[]) => {
    try {
      const settled = await send(group.map((one) => one.item));
      group.forEach((one, index) => {
        const outcome = settled[index];
        if (outcome?.status === 'fulfilled') one.resolve(outcome.value);
        else one.reject(outcome ? outcome.reason : new Error('a grouped send answered fewer items'));
      });
    } catch (error) {
      for (const one of group) one.reject(error);
    } finally {
      running--;
      dispatch();
    }
  };
  const dispatch = () => {
    while (running < inFlight && waiting.length > 0) {
      running++;
      void run(nextGroup());
    }
  };
  return (item) =>
    new Promise<Result>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      dispatch();
    });
};
