import { describe, expect, it } from 'vitest';
import { ConcurrencyError } from './concurrencyError.js';
import { retryOnConflict } from './retryOnConflict.js';

const conflict = () => new ConcurrencyError('order', 'o-1', 1, 2);

/** An attempt that conflicts `conflicts` times, then answers. */
const conflicting = (conflicts: number) => {
  let calls = 0;
  return {
    calls: () => calls,
    attempt: async () => {
      calls++;
      if (calls <= conflicts) throw conflict();
      return 'appended';
    },
  };
};

describe('retryOnConflict', () => {
  it('given conflicts within the budget, catches up after each and answers with the attempt that went through', async () => {
    const writer = conflicting(2);
    let caughtUp = 0;
    const answer = await retryOnConflict(writer.attempt, {
      stream: 'order/o-1',
      maxRetries: 2,
      onConflict: () => caughtUp++,
    });
    expect(answer).toBe('appended');
    expect(writer.calls()).toBe(3);
    expect(caughtUp).toBe(2);
  });

  it('given one conflict more than the budget, is TRANSIENT naming the stream, the conflict as its cause', async () => {
    const writer = conflicting(3);
    const failed = retryOnConflict(writer.attempt, {
      stream: 'order/o-1',
      maxRetries: 2,
      onConflict: () => {},
    });
    await expect(failed).rejects.toMatchObject({
      code: 'TRANSIENT',
      message: 'order/o-1: still conflicting after 3 attempts',
      cause: expect.objectContaining({ code: 'CONCURRENCY' }),
    });
    expect(writer.calls()).toBe(3);
  });

  it('passes any other error through at once, without catching up', async () => {
    let caughtUp = 0;
    const failed = retryOnConflict(
      async () => {
        throw new Error('disk full');
      },
      { stream: 'order/o-1', maxRetries: 5, onConflict: () => caughtUp++ },
    );
    await expect(failed).rejects.toThrow('disk full');
    expect(caughtUp).toBe(0);
  });
});
