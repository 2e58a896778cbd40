import type { RecordedOf } from 'chronicle-runtime';
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

// orders_view checks each row's version, so every order event must reach it: the build fails if one is missing
type Unlisted = Exclude<OrderEvent['type'], (typeof orderEventTypes)[number]>;
const everyOrderEventListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyOrderEventListed;
