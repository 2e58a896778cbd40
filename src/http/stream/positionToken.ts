import type { Checkpoint } from '../../eventStore/index.js';

const TOKEN = /^(\d{1,20})-(\d{1,19})$/;

/**
 * A live-stream position as the SSE id: `<transactionId>-<globalPosition>`. Global positions are
 * taken at insert, not at commit, so "after position P" alone could skip a late commit; the pair
 * is the commit-safe order the subscriptions read in, and resuming after it misses nothing.
 */
export const encodePosition = (position: Checkpoint): string =>
  `${position.transactionId}-${position.globalPosition}`;

export const decodePosition = (token: string): Checkpoint | undefined => {
  const match = TOKEN.exec(token.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const globalPosition = Number(match[2]);
  if (!Number.isSafeInteger(globalPosition)) return undefined;
  return { transactionId: BigInt(match[1]).toString(), globalPosition };
};
