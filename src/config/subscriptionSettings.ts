import { hostname } from 'node:os';
import { v7 as uuidv7 } from 'uuid';
import { positiveInt } from './settingValues.js';

/** How a worker runs its subscriptions. Timings are configurable so tests can run fast. */
export type SubscriptionSettings = {
  /** Lease owner name; unique per process. */
  readonly workerId: string;
  readonly batchSize: number;
  /** Fallback when no notification arrives (LISTEN down, or events held back by an open transaction). */
  readonly pollIntervalMs: number;
  /** A dead worker's partitions are taken over this long after its last renewal (renewed every third). */
  readonly leaseTtlMs: number;
  /** Failed attempts on one event before its partition stops. */
  readonly maxAttempts: number;
  /** Retry delay: initial × 2^(attempt − 1), capped at the maximum. */
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
};

export const defaultWorkerId = (): string => `${hostname()}-${process.pid}-${uuidv7().slice(-6)}`;

export const defaultSubscriptionSettings = (): SubscriptionSettings => ({
  workerId: defaultWorkerId(),
  batchSize: 200,
  pollIntervalMs: 1_000,
  leaseTtlMs: 10_000,
  maxAttempts: 8,
  backoffInitialMs: 250,
  backoffMaxMs: 30_000,
});

/**
 * Reads CHRONICLE_WORKER_ID and CHRONICLE_SUBSCRIPTION_{BATCH_SIZE, POLL_MS, LEASE_MS, MAX_ATTEMPTS,
 * BACKOFF_MS, BACKOFF_MAX_MS}; anything unset keeps its default.
 */
export const subscriptionSettingsFromEnv = (env: NodeJS.ProcessEnv = process.env): SubscriptionSettings => {
  const base = defaultSubscriptionSettings();
  const read = (suffix: string, fallback: number) =>
    positiveInt(`CHRONICLE_SUBSCRIPTION_${suffix}`, env[`CHRONICLE_SUBSCRIPTION_${suffix}`], fallback);
  return {
    workerId: env.CHRONICLE_WORKER_ID || base.workerId,
    batchSize: read('BATCH_SIZE', base.batchSize),
    pollIntervalMs: read('POLL_MS', base.pollIntervalMs),
    leaseTtlMs: read('LEASE_MS', base.leaseTtlMs),
    maxAttempts: read('MAX_ATTEMPTS', base.maxAttempts),
    backoffInitialMs: read('BACKOFF_MS', base.backoffInitialMs),
    backoffMaxMs: read('BACKOFF_MAX_MS', base.backoffMaxMs),
  };
};
