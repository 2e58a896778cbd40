import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000003OrderReadModels } from './Migration20261123000003OrderReadModels.js';
import { Migration20261129000001OrderTotalsOrders } from './Migration20261129000001OrderTotalsOrders.js';
import { Migration20261129000030OrdersViewCurrency } from './Migration20261129000030OrdersViewCurrency.js';
import { Migration20261129000050OrderTotalsCurrency } from './Migration20261129000050OrderTotalsCurrency.js';
import { Migration20261207000010OrdersViewCounts } from './Migration20261207000010OrdersViewCounts.js';
import { Migration20261207160500ProductsView } from './Migration20261207160500ProductsView.js';

/**
 * The sample domain's schema (its read models), in order, applied after the runtime's by
 * `chronicle migrate` (workers/cli.ts plugs it in). A deployment of another domain brings its own list.
 */
export const domainMigrations: readonly MigrationObject[] = [
  { name: 'Migration20261123000003OrderReadModels', class: Migration20261123000003OrderReadModels },
  { name: 'Migration20261129000001OrderTotalsOrders', class: Migration20261129000001OrderTotalsOrders },
  { name: 'Migration20261129000030OrdersViewCurrency', class: Migration20261129000030OrdersViewCurrency },
  { name: 'Migration20261129000050OrderTotalsCurrency', class: Migration20261129000050OrderTotalsCurrency },
  { name: 'Migration20261207000010OrdersViewCounts', class: Migration20261207000010OrdersViewCounts },
  { name: 'Migration20261207160500ProductsView', class: Migration20261207160500ProductsView },
];
