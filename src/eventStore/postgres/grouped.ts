import { ChronicleError } from '../../errors/index.js';

export type GroupedOptions<Item> = {
  /** Items with the same key never share a group: the later one waits for the next. */
  readonly key: (item: Item) => string;
  /** Groups in flight at once. */
  readonly inFlight: number;
  /** Items in one group at most. */
  readonly maxSize: number;
  /**
   * A group still in flight after this long (waiting on a lock, say) stops counting against
   * `inFlight`, so the items behind it go on.
   */
  readonly stallMs: number;
};

type Waiting<Item, Result> = {
  readonly item: Item;
  readonly resolve: (result: Result) => void;
  readonly reject: (reason: unknown) => void;
};

/**
 * Calls `send` with groups of items; `send` resolves, once its group no longer needs its turn, to
 * one answer per item, which may settle later (so a group's slow tail does not hold the next group
 * back). An item added while fewer than `inFlight` groups are in flight goes at once (alone, when
 * nothing else waits); one added while they are all in flight waits, and every item waiting when a
 * group's turn ends goes in the next one, in the order added. A turn ends when `send` resolves or
 * after `stallMs`, whichever comes first. A `send` that throws rejects its whole group.
 */
export const grouped = <Item, Result>(
  send: (items: readonly Item[]) => Promise<readonly Promise<Result>[]>,
  { key, inFlight, maxSize, stallMs }: GroupedOptions<Item>,
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
    let turnEnded = false;
    const endTurn = () => {
      if (turnEnded) return;
      turnEnded = true;
      running--;
      dispatch();
    };
    const stalled = setTimeout(endTurn, stallMs);
    stalled.unref?.();
    try {
      const answers = await send(group.map((one) => one.item));
      group.forEach((one, index) => {
        const answer =
          answers[index] ??
          Promise.reject(new ChronicleError('INVARIANT', 'a grouped send answered fewer items'));
        answer.then(one.resolve, one.reject);
      });
    } catch (error) {
      for (const one of group) one.reject(error);
    } finally {
      clearTimeout(stalled);
      endTurn();
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
