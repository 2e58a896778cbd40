import { describe, expect, it, vi } from 'vitest';
import { grouped } from './grouped.js';

/**
 * A send whose groups the spec answers one at a time: each item answered `<item>!` (an item named
 * `bad…` rejected, one named `late…` only when the spec says), or the whole group failed.
 */
const heldSend = () => {
  const calls: { items: readonly string[]; finish: (ok: boolean) => void }[] = [];
  const late: (() => void)[] = [];
  const answer = (item: string) =>
    item.startsWith('bad')
      ? Promise.reject(new Error(item))
      : item.startsWith('late')
        ? new Promise<string>((resolve) => late.push(() => resolve(`${item}!`)))
        : Promise.resolve(`${item}!`);
  const send = (items: readonly string[]) =>
    new Promise<Promise<string>[]>((resolve, reject) => {
      calls.push({
        items,
        finish: (ok) => (ok ? resolve(items.map(answer)) : reject(new Error('group failed'))),
      });
    });
  return { calls, send, late };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));
const byFirstLetter = (item: string) => item.slice(0, 1);

describe('grouped sends', () => {
  it('sends an item alone at once when nothing is in flight, and the items added meanwhile together once it ends', async () => {
    const { calls, send } = heldSend();
    const add = grouped(send, { key: (item) => item, inFlight: 1, maxSize: 10, stallMs: 60_000 });
    const first = add('a');
    expect(calls.map((call) => call.items)).toEqual([['a']]);
    const later = [add('b'), add('c'), add('d')];
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]?.finish(true);
    expect(await first).toBe('a!');
    expect(calls.map((call) => call.items)).toEqual([['a'], ['b', 'c', 'd']]);
    calls[1]?.finish(true);
    expect(await Promise.all(later)).toEqual(['b!', 'c!', 'd!']);
  });

  it('answers each item of a group on its own: one rejected item leaves the others answered', async () => {
    const { calls, send } = heldSend();
    const add = grouped(send, { key: (item) => item, inFlight: 1, maxSize: 10, stallMs: 60_000 });
    void add('a');
    const [ok, bad] = [add('b'), add('bad')];
    calls[0]?.finish(true);
    await settle();
    calls[1]?.finish(true);
    expect(await ok).toBe('b!');
    await expect(bad).rejects.toThrow('bad');
  });

  it('never puts two items of one key in a group: the later waits for the next, in the order added', async () => {
    const { calls, send } = heldSend();
    const add = grouped(send, { key: byFirstLetter, inFlight: 1, maxSize: 10, stallMs: 60_000 });
    void add('x');
    void add('a1');
    void add('a2');
    void add('b1');
    calls[0]?.finish(true);
    await settle();
    expect(calls[1]?.items).toEqual(['a1', 'b1']);
    calls[1]?.finish(true);
    await settle();
    expect(calls[2]?.items).toEqual(['a2']);
  });

  it('keeps at most inFlight groups in flight and maxSize items in a group', async () => {
    const { calls, send } = heldSend();
    const add = grouped(send, { key: (item) => item, inFlight: 2, maxSize: 2, stallMs: 60_000 });
    for (const item of ['a', 'b', 'c', 'd', 'e', 'f']) void add(item);
    expect(calls.map((call) => call.items)).toEqual([['a'], ['b']]);
    calls[0]?.finish(true);
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['a'], ['b'], ['c', 'd']]);
    calls[1]?.finish(true);
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['a'], ['b'], ['c', 'd'], ['e', 'f']]);
  });

  it('given a failed send, rejects every item of that group only, and goes on with the next', async () => {
    const { calls, send } = heldSend();
    const add = grouped(send, { key: (item) => item, inFlight: 1, maxSize: 10, stallMs: 60_000 });
    const first = add('a');
    const next = add('b');
    calls[0]?.finish(false);
    await expect(first).rejects.toThrow('group failed');
    calls[1]?.finish(true);
    expect(await next).toBe('b!');
  });

  it("frees a group's turn when send resolves, before its late answers settle", async () => {
    const { calls, send, late } = heldSend();
    const add = grouped(send, { key: (item) => item, inFlight: 1, maxSize: 10, stallMs: 60_000 });
    const slow = add('late-a');
    const next = add('b');
    calls[0]?.finish(true);
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['late-a'], ['b']]);
    calls[1]?.finish(true);
    expect(await next).toBe('b!');
    late[0]?.();
    expect(await slow).toBe('late-a!');
  });

  it('given a group stalled past stallMs, sends the items behind it without waiting for it', async () => {
    vi.useFakeTimers();
    try {
      const { calls, send } = heldSend();
      const add = grouped(send, { key: (item) => item, inFlight: 1, maxSize: 10, stallMs: 100 });
      const stuck = add('a');
      const behind = add('b');
      await vi.advanceTimersByTimeAsync(99);
      expect(calls.map((call) => call.items)).toEqual([['a']]);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls.map((call) => call.items)).toEqual([['a'], ['b']]);
      calls[1]?.finish(true);
      expect(await behind).toBe('b!');
      const later = add('c');
      expect(calls.map((call) => call.items)).toEqual([['a'], ['b'], ['c']]);
      calls[0]?.finish(true);
      calls[2]?.finish(true);
      expect(await stuck).toBe('a!');
      expect(await later).toBe('c!');
    } finally {
      vi.useRealTimers();
    }
  });
});
