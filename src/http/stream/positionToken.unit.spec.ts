import { describe, expect, it } from 'vitest';
import { rejectionStatus } from '../rejectionStatus.js';
import { decodePosition, encodePosition } from './positionToken.js';

describe('position tokens', () => {
  it('round-trip (transaction id, global position)', () => {
    const position = { transactionId: '18446744073709551615', globalPosition: 42 };
    expect(decodePosition(encodePosition(position))).toEqual(position);
  });

  it('refuse anything else', () => {
    for (const bad of ['42', 'a-1', '1-', '-1', '1-2-3', '1-99999999999999999999']) {
      expect(decodePosition(bad)).toBeUndefined();
    }
  });
});

describe('rejection status', () => {
  it('is 422 for commands that can never succeed, 409 for conflicts with the state', () => {
    expect(['VALIDATION', 'UNKNOWN_AGGREGATE', 'UNKNOWN_COMMAND'].map(rejectionStatus)).toEqual([
      422, 422, 422,
    ]);
    expect(['INVALID_TRANSITION', 'CONCURRENCY', 'PRICE_UNCHANGED'].map(rejectionStatus)).toEqual([
      409, 409, 409,
    ]);
  });
});
