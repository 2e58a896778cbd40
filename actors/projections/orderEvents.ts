import type { RecordedOf } from '../../src/projections/index.js';
import type { OrderEvent } from '../order/index.js';

/** Order events as the projections receive them, from the event store. */
export type RecordedOrderEvent = RecordedOf<OrderEvent>;

export const orderEventTypes = [
  'OrderPlaced',
  'OrderPaymentInitiated',
  'OrderPaid',
  'OrderPaymentFailed',
  'OrderShippingStatusUpdated',
  'OrderCancelled',
] as const satisfies readonly OrderEvent['type'][];
