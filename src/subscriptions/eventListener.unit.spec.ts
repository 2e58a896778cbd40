import { describe, expect, it } from 'vitest';
import { partitionOfStreamHash } from '../eventStore/index.js';
import { appendedNotice } from './eventListener.js';

describe('appended notices', () => {
  it('reads the stream hash and type of a named stream, the type alone otherwise, nothing after a reconnect', () => {
    expect(appendedNotice('-3384518006883733601:order')).toEqual({
      streamType: 'order',
      streamHash: -3384518006883733601n,
    });
    expect(appendedNotice('2043282691501621815:a:b')).toEqual({
      streamType: 'a:b',
      streamHash: 2043282691501621815n,
    });
    expect(appendedNotice('order')).toEqual({ streamType: 'order' });
    expect(appendedNotice('')).toEqual({});
  });

  it('puts a stream in the partition PostgreSQL does: abs(hashtextextended(id, 0) % count)', () => {
    // values from PostgreSQL 15 for o-1, o-2 and order-42
    expect(partitionOfStreamHash(2043282691501621815n, 4)).toBe(3);
    expect(partitionOfStreamHash(-3384518006883733601n, 4)).toBe(1);
    expect(partitionOfStreamHash(-3384518006883733601n, 3)).toBe(2);
    expect(partitionOfStreamHash(3159086479065790272n, 4)).toBe(0);
  });
});
