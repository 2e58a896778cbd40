import { orderTotals } from './orderTotals.js';
import { ordersView } from './ordersView.js';

export * from './orderEvents.js';
export * from './orderQueries.js';
export { orderTotals, ordersView };

/** Every projection of the sample domain, for the projection workers and the CLI. */
export const projections = [ordersView, orderTotals] as const;
