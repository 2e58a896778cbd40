import { describe, expect, it } from 'vitest';
import { createStreamSlots } from './streamSlots.js';

describe('live stream slots', () => {
  it('counts at once, caps the pod and each principal, and frees a slot once', () => {
    const slots = createStreamSlots(3, 2);
    const a1 = slots.take('a');
    const a2 = slots.take('a');
    expect([a1.status, a2.status]).toEqual(['taken', 'taken']);
    expect(slots.take('a')).toEqual({ status: 'principal-full', max: 2 });
    expect(slots.take('b').status).toBe('taken');
    expect(slots.take('c')).toEqual({ status: 'pod-full', max: 3 });
    if (a1.status !== 'taken') throw new Error('unreachable');
    a1.slot.release();
    a1.slot.release();
    expect(slots.size).toBe(2);
    expect(slots.take('a').status).toBe('taken');
    expect(slots.take('c')).toEqual({ status: 'pod-full', max: 3 });
  });
});
