import { describe, expect, it } from 'vitest';
import { coalesced } from './notifyAppended.js';

/** A send whose calls the spec finishes one at a time. */
const heldSend = () => {
  const calls: { items: string[]; finish: (ok: boolean) => void }[] = [];
  const send = (items: string[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ items, finish: (ok) => (ok ? resolve() : reject(new Error('send failed'))) });
    });
  return { calls, send };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesced wake-ups', () => {
  it('given a call in flight, sends what was added meanwhile in one call once it ends, and nothing more', async () => {
    const { calls, send } = heldSend();
    const notify = coalesced(send);
    notify('order');
    await settle();
    notify('order');
    notify('product');
    notify('order');
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['order']]);
    calls[0]?.finish(true);
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['order'], ['order', 'product']]);
    calls[1]?.finish(true);
    await settle();
    expect(calls).toHaveLength(2);
  });

  it('given a failed call, still sends what is added after it', async () => {
    const { calls, send } = heldSend();
    const notify = coalesced(send);
    notify('order');
    await settle();
    notify('product');
    calls[0]?.finish(false);
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['order'], ['product']]);
    calls[1]?.finish(true);
    await settle();
    notify('user');
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['order'], ['product'], ['user']]);
  });
});
