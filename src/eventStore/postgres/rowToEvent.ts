import { type EventSchemas, upcastEvent } from '../../eventSchemas/index.js';
import type { EventMetadata, RecordedEvent } from '../../messages/index.js';

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
};

export const eventColumns =
  'global_position, transaction_id::text as transaction_id, stream_type, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at';

/**
 * A stored row as the event readers see it: in its current shape (upcastEvent), whatever version
 * and name it was stored under. Every read of es_events goes through here.
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
    data: row.data,
    metadata: row.metadata,
    recordedAt: new Date(row.recorded_at).toISOString(),
  });
