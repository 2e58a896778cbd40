import { v7 as uuidv7 } from 'uuid';
import type { OrderPlacedData, OrderPlacedV1Data } from '../../../actors/order/index.js';
import { type Db, query } from '../../../src/eventStore/index.js';

/** OrderPlaced as the release before currencies wrote it. */
export const placedV1: OrderPlacedV1Data = {
  customerId: 'customer-old',
  productId: 'product-1',
  vendorId: 'vendor-1',
  quantity: 3,
  totalPrice: 30,
  paymentMethod: 'CARD',
  placedAt: '2025-01-01T09:00:00.000Z',
};

export type OldRow = { type: string; schemaVersion: number; data: unknown; recordedAt: string };

/** Rows written straight into es_events (and the stream head), as an older release left them. */
export const writeOldStream = async (
  db: Db,
  streamId: string,
  rows: readonly OldRow[],
  streamType = 'order',
) => {
  await query(db, 'insert into es_streams (stream_type, stream_id, version) values (?, ?, ?)', [
    streamType,
    streamId,
    rows.length,
  ]);
  for (const [index, row] of rows.entries()) {
    const metadata = {
      commandId: `old-${streamId}-${index}`,
      correlationId: streamId,
      causationId: streamId,
    };
    await query(
      db,
      `insert into es_events (stream_type, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at)
       values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)`,
      [
        streamType,
        streamId,
        index + 1,
        uuidv7(),
        row.type,
        row.schemaVersion,
        JSON.stringify(row.data),
        JSON.stringify(metadata),
        row.recordedAt,
      ],
    );
  }
};

export const oldHistory: OldRow[] = [
  { type: 'OrderPlaced', schemaVersion: 1, data: placedV1, recordedAt: '2025-01-01T09:00:00.000Z' },
  { type: 'OrderPaymentInitiated', schemaVersion: 1, data: {}, recordedAt: '2025-01-02T09:00:00.000Z' },
];

export const detailsOf = (context: unknown) => (context as { details: OrderPlacedData | null }).details;
