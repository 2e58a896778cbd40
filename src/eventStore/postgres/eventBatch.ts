import { ChronicleError } from '../../errors/index.js';
import { type EventSchemas, notYetReadable } from '../../eventSchemas/index.js';
import type { RecordedEvent } from '../../messages/index.js';
import type { Checkpoint } from '../checkpoint.js';
import type { EventFilter } from '../eventFilter.js';
import type { PartitionRef } from '../partition.js';
import type { BatchStatement } from './readEventBatch.js';
import { type EventRow, rowToEvent } from './rowToEvent.js';
import { UnreadableInBatch } from './unreadableInBatch.js';

export type BatchRequest = {
  readonly after: Checkpoint;
  readonly filter: EventFilter;
  readonly partition: PartitionRef;
  readonly limit: number;
};

export type EventBatch = {
  /** In (transaction_id, global_position) order: per stream, in version order. */
  readonly events: readonly RecordedEvent[];
  /**
   * The checkpoint to store once these events are handled: the last event when the batch is full,
   * else as far as the read saw every matching event (a partition's full window, else the newest
   * position below the horizon); see nextSql.
   */
  readonly next: Checkpoint;
  readonly full: boolean;
  /** Committed events wait above the horizon, held back by an older transaction still open. */
  readonly blocked: boolean;
};

export type BatchRow = Partial<EventRow> & {
  next_transaction_id: string;
  next_position: string;
  blocked: boolean;
  /** Partitioned reads: the last row of a full window (null when the window is not full). */
  window_end_transaction_id?: string | null;
};

/** Each row as an event; a row written by a newer release is UnreadableInBatch at its index. */
const eventsOfRows = (schemas: EventSchemas, rows: readonly BatchRow[]): RecordedEvent[] =>
  rows
    .filter((row) => row.global_position != null)
    .map((row, index) => {
      try {
        return rowToEvent(row as EventRow, schemas);
      } catch (error) {
        const unreadable = notYetReadable(error);
        throw unreadable ? new UnreadableInBatch(index, unreadable) : error;
      }
    });

/**
 * The batch in the rows of a read by `statement` (a row per event, or one row of nulls but
 * `next`'s when none passed). A row this code cannot read yet ends the read (UnreadableInBatch).
 */
export const batchOfRows = (
  schemas: EventSchemas,
  { filter, limit }: BatchRequest,
  { storedTypes }: Pick<BatchStatement, 'storedTypes'>,
  rows: readonly BatchRow[],
): EventBatch => {
  const [first] = rows;
  // `next` always has its row, so every read returns one
  if (!first) throw new ChronicleError('INVARIANT', 'a batch read returned no row');
  const read = eventsOfRows(schemas, rows);
  // a partition's window was full: more of its events may follow the window
  const full = read.length >= limit || first.window_end_transaction_id != null;
  const next = { transactionId: first.next_transaction_id, globalPosition: Number(first.next_position) };
  const asked = filter.eventTypes;
  const events =
    asked && storedTypes && storedTypes.length > asked.length
      ? read.filter((event) => asked.includes(event.type))
      : read;
  return { events, next, full, blocked: first.blocked };
};
