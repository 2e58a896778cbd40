import type { RecordedEvent } from '../messages/index.js';

/**
 * Where a subscription stands in commit-safe order: the (transaction_id, global_position) of the
 * last event it handled or passed over. Transaction ids are xid8 values, kept as decimal strings.
 */
export type Checkpoint = { readonly transactionId: string; readonly globalPosition: number };

export const startOfStream: Checkpoint = { transactionId: '0', globalPosition: 0 };

export const checkpointOf = (event: Pick<RecordedEvent, 'transactionId' | 'globalPosition'>): Checkpoint => ({
  transactionId: event.transactionId,
  globalPosition: event.globalPosition,
});

/** Negative when `a` comes first, 0 when equal, positive when `a` comes after `b`. */
export const compareCheckpoints = (a: Checkpoint, b: Checkpoint): number => {
  const byTransaction = BigInt(a.transactionId) - BigInt(b.transactionId);
  if (byTransaction !== 0n) return byTransaction < 0n ? -1 : 1;
  return a.globalPosition - b.globalPosition;
};
