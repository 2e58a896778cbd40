import { createEventSchemas } from 'chronicle-runtime';
import { order } from './order/index.js';
import { createOrderPayment, orderPayment } from './orderPayment/index.js';
import { payment } from './payment/index.js';
import { product } from './product/index.js';
import { user } from './user/index.js';

export { Amount, MAX_AMOUNT, MAX_QUANTITY, PositiveAmount, Quantity } from './amounts.js';
export { createOrderPayment, order, orderPayment, payment, product, user };

/** Every aggregate of the sample domain, for the registry of each worker. */
export const aggregates = [order, payment, user, product] as const;

/** Their event schemas: what an event store or a subscription of this domain reads events through. */
export const domainEventSchemas = createEventSchemas(aggregates);

/** Every process manager of the sample domain, for the process-manager pods. */
export const processManagers = [orderPayment] as const;
