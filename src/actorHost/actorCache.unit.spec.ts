import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { AggregateInstance, defineAggregate } from '../aggregate/index.js';
import { ActorCache } from './actorCache.js';

const counter = defineAggregate({
  type: 'counter',
  machine: setup({
    types: { context: {} as { n: number }, events: {} as { type: 'Counted'; data: object } },
  }).createMachine({
    context: { n: 0 },
    on: { Counted: { actions: assign(({ context }) => ({ n: context.n + 1 })) } },
  }),
  commands: {},
});

const actor = (id: string) => AggregateInstance.hydrate(counter, id, undefined, []);

describe('the actor cache', () => {
  it('given more actors than its bound, passivates the least recently used', () => {
    const cache = new ActorCache({ maxActors: 2 });
    const [a, b, c] = [actor('a'), actor('b'), actor('c')];
    cache.set('a', a);
    cache.set('b', b);
    cache.get('a'); // a is now the most recently used
    cache.set('c', c);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(a);
    expect(cache.stats()).toEqual({ size: 2, hits: 2, misses: 1 });
  });

  it('passivates an actor left idle past its time, and keeps one in use', () => {
    let now = 1_000_000; // lru-cache reads a start of 0 as "no start", never stale
    const cache = new ActorCache({ idleMs: 60_000, now: () => now });
    const [idle, busy] = [actor('idle'), actor('busy')];
    cache.set('idle', idle);
    cache.set('busy', busy);
    for (let i = 0; i < 4; i++) {
      now += 25_000;
      cache.get('busy');
    }
    expect(cache.get('idle')).toBeUndefined();
    expect(cache.get('busy')).toBe(busy);
  });

  it('evicts an actor on demand', () => {
    const cache = new ActorCache();
    const a = actor('a');
    cache.set('a', a);
    cache.evict('a');
    expect(cache.get('a')).toBeUndefined();
  });
});
