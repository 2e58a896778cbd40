/**
 * The partition of a stream, computed in SQL so the filter runs inside the query. PostgreSQL's own
 * hash partitioning relies on `hashtextextended` staying stable across versions, so checkpoints stay
 * valid through upgrades. The modulo comes before `abs`, so the bigint can never overflow.
 * Takes one parameter: the partition count.
 */
export const partitionOfStreamSql = (streamIdColumn: string) =>
  `abs(hashtextextended(${streamIdColumn}, 0) % ?::int)`;
