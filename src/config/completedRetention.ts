import { positiveInt } from './settingValues.js';

/**
 * How long finished commands stay readable in Redis (`status()`, a resent command id answered from
 * its job): whichever limit comes first. Beyond it, a resent id is answered by the command ledger
 * in PostgreSQL, so this bounds Redis memory, never correctness.
 */
export type CompletedRetention = {
  readonly ageSeconds: number;
  readonly count: number;
  /**
   * How long a dead letter (a failed command job, a failed deadline) stays in Redis; undefined:
   * until an operator retries or drops it.
   */
  readonly deadLetterAgeSeconds?: number;
};

export const defaultCompletedRetention: CompletedRetention = { ageSeconds: 24 * 3600, count: 100_000 };

const keptCompleted = (env: NodeJS.ProcessEnv) => ({
  ageSeconds: positiveInt(
    'CHRONICLE_COMPLETED_KEEP_S',
    env.CHRONICLE_COMPLETED_KEEP_S,
    defaultCompletedRetention.ageSeconds,
  ),
  count: positiveInt(
    'CHRONICLE_COMPLETED_KEEP_COUNT',
    env.CHRONICLE_COMPLETED_KEEP_COUNT,
    defaultCompletedRetention.count,
  ),
});

/**
 * CHRONICLE_COMPLETED_KEEP_S and CHRONICLE_COMPLETED_KEEP_COUNT, per shard queue, and
 * CHRONICLE_DEAD_LETTER_KEEP_DAYS (unset: dead letters are kept until handled).
 */
export const completedRetentionFromEnv = (env: NodeJS.ProcessEnv = process.env): CompletedRetention => {
  const deadLetterDays = positiveInt(
    'CHRONICLE_DEAD_LETTER_KEEP_DAYS',
    env.CHRONICLE_DEAD_LETTER_KEEP_DAYS,
    undefined,
  );
  return {
    ...keptCompleted(env),
    ...(deadLetterDays === undefined ? {} : { deadLetterAgeSeconds: deadLetterDays * 86_400 }),
  };
};
