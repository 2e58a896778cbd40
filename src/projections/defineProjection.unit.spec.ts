import { describe, expect, it } from 'vitest';
import { defineProjection } from './defineProjection.js';

const base = { name: 'probe', events: ['Happened'], reset: async () => {} } as const;

describe('defineProjection', () => {
  it('takes a per-event handler or a batch handler, and says which', () => {
    expect(defineProjection({ ...base, handle: async () => {} }).handler.kind).toBe('event');
    expect(defineProjection({ ...base, handleBatch: async () => {} }).handler.kind).toBe('batch');
  });

  it('refuses a projection with both handlers, or neither', () => {
    const both = { ...base, handle: async () => {}, handleBatch: async () => {} };
    expect(() => defineProjection(both as never)).toThrow('exactly one of handle and handleBatch');
    expect(() => defineProjection(base as never)).toThrow('exactly one of handle and handleBatch');
  });
});
