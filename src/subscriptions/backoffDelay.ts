import type { SubscriptionSettings } from '../config/index.js';

/** Retry delay of a failing partition: initial × 2^(attempt − 1), capped at the maximum. */
export const backoffDelay = (settings: SubscriptionSettings, attempt: number): number =>
  Math.min(settings.backoffMaxMs, settings.backoffInitialMs * 2 ** Math.max(0, attempt - 1));
