import { type EventSchemas, personalDataOf, upcastEvent } from '../../eventSchemas/index.js';
import type { EventMetadata, RecordedEvent } from '../../messages/index.js';
import { openEventData, type StoredDataKeys } from '../../personalData/index.js';
import { dataKeysSql } from './dataKeysSql.js';

export type EventRow = {
  global_position: string;
  transaction_id: string;
  stream_type: string;
  stream_id: string;
  version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date | string;
  /** The data keys of its subjects (dataKeysSql); absent where a statement does not select them. */
  data_keys?: StoredDataKeys;
};

/** What an append statement answers of each event it wrote. */
export const appendedColumns =
  'global_position, transaction_id::text as transaction_id, stream_type, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at';

export const eventColumns = `${appendedColumns}, ${dataKeysSql('subjects')} as data_keys`;

/** A row's data with its personal fields opened, or redacted where the subject was forgotten. */
export const openRowData = (
  schemas: EventSchemas,
  row: Pick<EventRow, 'stream_type' | 'type' | 'data' | 'data_keys'>,
): unknown =>
  row.data_keys == null
    ? row.data
    : openEventData(row.data, row.data_keys, personalDataOf(schemas, row.stream_type, row.type)?.redacted);

/**
 * A stored row as the event readers see it: in its current shape (upcastEvent), whatever version
 * and name it was stored under, its personal fields opened (openRowData). Every read of es_events
 * goes through here.
 */
export const rowToEvent = (row: EventRow, schemas: EventSchemas): RecordedEvent =>
  upcastEvent(schemas, {
    globalPosition: Number(row.global_position),
    transactionId: row.transaction_id,
    streamType: row.stream_type,
    streamId: row.stream_id,
    version: row.version,
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: openRowData(schemas, row),
    metadata: row.metadata,
    recordedAt: new Date(row.recorded_at).toISOString(),
  });
