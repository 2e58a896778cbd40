import { createAggregateRegistry, machineHash } from 'chronicle-runtime';
import { describe, expect, it } from 'vitest';
import { aggregates, order, payment, product, user } from './index.js';

describe('the sample domain', () => {
  it('registers every aggregate once, by type', () => {
    const registry = createAggregateRegistry(aggregates);
    expect(registry.types).toEqual(['order', 'payment', 'user', 'product']);
    expect(registry.get('order')).toBe(order);
    expect([payment, user, product].map((aggregate) => registry.get(aggregate.type))).toEqual([
      payment,
      user,
      product,
    ]);
  });

  it('stamps each aggregate with the hash of its machine and its event schemas', () => {
    for (const aggregate of aggregates)
      expect(aggregate.machineHash).toBe(machineHash(aggregate.machine, '', aggregate.events));
    // the order's OrderPlaced has a version 2: its snapshots from before it are not restored
    expect(order.machineHash).not.toBe(machineHash(order.machine));
  });
});
