/** One of `count` slices of the event stream, by a stable hash of the stream id. */
export type PartitionRef = { readonly index: number; readonly count: number };

export const wholeStream: PartitionRef = { index: 0, count: 1 };

/**
 * The partition of a stream whose id hashes to `streamHash` (PostgreSQL's
 * `hashtextextended(stream_id, 0)`, as notifications carry it): the same as partitionOfStreamSql,
 * `abs(hash % count)`, both remainders truncating towards zero.
 */
export const partitionOfStreamHash = (streamHash: bigint, count: number): number => {
  const remainder = streamHash % BigInt(count);
  return Number(remainder < 0n ? -remainder : remainder);
};
