export { orderEventTypes } from './orderEvents.js';

import { ordersView } from './ordersView.js';
import { orderTotals } from './orderTotals.js';
import { productsView } from './productsView.js';

export * from './orderEvents.js';
export * from './orderQueries.js';
export * from './productQueries.js';
export { productEventTypes } from './productsView.js';
export { ordersView, orderTotals, productsView };

/** Every projection of the sample domain, for the projection workers and the CLI. */
export const projections = [ordersView, orderTotals, productsView] as const;
