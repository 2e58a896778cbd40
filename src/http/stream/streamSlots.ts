/** A live stream's place in the pod's budget; give it back once, when the stream ends. */
export type StreamSlot = { release(): void };

export type SlotAnswer =
  | { readonly status: 'taken'; readonly slot: StreamSlot }
  | { readonly status: 'pod-full'; readonly max: number }
  | { readonly status: 'principal-full'; readonly max: number };

export type StreamSlots = {
  /** Synchronous, so concurrent opens are counted before any of them awaits anything. */
  take(principalId: string): SlotAnswer;
  readonly size: number;
};

/** The live streams of one pod: at most `max` in all, at most `maxPerPrincipal` for any one caller. */
export const createStreamSlots = (max: number, maxPerPrincipal: number): StreamSlots => {
  let size = 0;
  const held = new Map<string, number>();
  return {
    get size() {
      return size;
    },
    take: (principalId) => {
      if (size >= max) return { status: 'pod-full', max };
      const mine = held.get(principalId) ?? 0;
      if (mine >= maxPerPrincipal) return { status: 'principal-full', max: maxPerPrincipal };
      size++;
      held.set(principalId, mine + 1);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        size--;
        const left = (held.get(principalId) ?? 1) - 1;
        if (left > 0) held.set(principalId, left);
        else held.delete(principalId);
      };
      return { status: 'taken', slot: { release } };
    },
  };
};
