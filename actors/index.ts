import { order } from './order/index.js';
import { payment } from './payment/index.js';
import { product } from './product/index.js';
import { user } from './user/index.js';

export { Amount, MAX_AMOUNT, MAX_QUANTITY, PositiveAmount, Quantity } from './amounts.js';
export { order, payment, product, user };

/** Every aggregate of the sample domain, for the registry of each worker. */
export const aggregates = [order, payment, user, product] as const;
