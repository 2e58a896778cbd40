import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** Random bytes drawn 4 KiB at a time: one call into the system's generator per 256 ids. */
const pool = new Uint8Array(4096);
let taken = pool.length;

const random16 = (): Uint8Array => {
  if (taken === pool.length) {
    randomFillSync(pool);
    taken = 0;
  }
  taken += 16;
  return pool.subarray(taken - 16, taken);
};

/** The last id's millisecond and counter: ids of one process sort in the order they were made. */
let lastMs = Number.NEGATIVE_INFINITY;
let sequence = 0;

/**
 * A uuid v7 (RFC 9562): time-ordered, so new ids land at the right edge of a btree index, and
 * monotonic within the process (a 32-bit counter seeded at random each millisecond, as uuid's own
 * v7 keeps it). uuid's v7 without options asks WebCrypto for 16 bytes on every call: 4.5 µs an
 * id here, against 1.4 µs with the bytes from this pool; a command takes two (its own, its event's).
 */
export const timeOrderedId = (): string => {
  const random = random16();
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    sequence =
      (((random[6] ?? 0) & 0x7f) << 24) |
      ((random[7] ?? 0) << 16) |
      ((random[8] ?? 0) << 8) |
      (random[9] ?? 0);
  } else {
    sequence = (sequence + 1) | 0;
    if (sequence === 0) lastMs++;
  }
  return uuidv7({ random, msecs: lastMs, seq: sequence });
};
