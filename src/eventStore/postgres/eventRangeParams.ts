import type { Checkpoint } from '../checkpoint.js';
import type { EventFilter } from '../eventFilter.js';
import type { PartitionRef } from '../partition.js';

/**
 * The nine parameters of the range the stream readers share, in the order their SQL takes them:
 *   (transaction_id, global_position) > (?::xid8, ?::bigint)
 *   and (?::text[] is null or type = any(?::text[]))           -- event types (null = all)
 *   and (?::text[] is null or stream_type = any(?::text[]))    -- stream types (null = all)
 *   and (?::int = 1 or <partitionOfStreamSql> = ?::int)         -- count, count, index
 */
export const eventRangeParams = (after: Checkpoint, filter: EventFilter, partition: PartitionRef) => {
  const eventTypes = filter.eventTypes ? [...filter.eventTypes] : null;
  const streamTypes = filter.streamTypes ? [...filter.streamTypes] : null;
  return [
    after.transactionId,
    after.globalPosition,
    eventTypes,
    eventTypes,
    streamTypes,
    streamTypes,
    partition.count,
    partition.count,
    partition.index,
  ];
};
