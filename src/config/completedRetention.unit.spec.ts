import { describe, expect, it } from 'vitest';
import { completedRetentionFromEnv, defaultCompletedRetention } from './completedRetention.js';

describe('completed-command retention from the environment', () => {
  it('defaults to a day or 100,000 commands per shard', () => {
    expect(completedRetentionFromEnv({})).toEqual(defaultCompletedRetention);
    expect(defaultCompletedRetention).toEqual({ ageSeconds: 86_400, count: 100_000 });
  });

  it('reads both limits', () => {
    expect(
      completedRetentionFromEnv({
        CHRONICLE_COMPLETED_KEEP_S: '600',
        CHRONICLE_COMPLETED_KEEP_COUNT: '5000',
      }),
    ).toEqual({ ageSeconds: 600, count: 5_000 });
  });

  it('refuses a limit that is not a positive integer, naming the variable', () => {
    expect(() => completedRetentionFromEnv({ CHRONICLE_COMPLETED_KEEP_COUNT: '0' })).toThrow(
      'CHRONICLE_COMPLETED_KEEP_COUNT must be a positive integer, got "0"',
    );
    expect(() => completedRetentionFromEnv({ CHRONICLE_COMPLETED_KEEP_S: 'a day' })).toThrow(
      'CHRONICLE_COMPLETED_KEEP_S',
    );
  });
});
