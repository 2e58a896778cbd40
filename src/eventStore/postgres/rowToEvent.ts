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

export const rowToEvent = (row: EventRow): RecordedEvent => ({
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
