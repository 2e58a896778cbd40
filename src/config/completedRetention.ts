import { positiveInt } from './settingValues.js';

/**
 * How long finished commands stay readable in Redis (`status()`, a resent command id answered from
 * its job): whichever limit comes first. Beyond it, a resent id is answered by the command ledger
 * in PostgreSQL, so this bounds Redis memory, never correctness.
 */
export type CompletedRetention = { readonly ageSeconds: number; readonly count: number };

export const defaultCompletedRetention: CompletedRetention = { ageSeconds: 24 * 3600, count: 100_000 };

/** CHRONICLE_COMPLETED_KEEP_S and CHRONICLE_COMPLETED_KEEP_COUNT, per shard queue. */
export const completedRetentionFromEnv = (env: NodeJS.ProcessEnv = process.env): CompletedRetention => ({
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
