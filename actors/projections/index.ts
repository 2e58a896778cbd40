export { orderEventTypes } from './orderEvents.js';

import { ordersView } from './ordersView.js';
import { orderTotals } from './orderTotals.js';

export * from './orderEvents.js';
export * from './orderQueries.js';
export { ordersView, orderTotals };

/** Every projection of the sample domain, for the projection workers and the CLI. */
export const projections = [ordersView, orderTotals] as const;
