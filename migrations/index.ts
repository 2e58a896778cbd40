import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000001EventStore } from './Migration20261123000001EventStore.js';
import { Migration20261123000002Subscriptions } from './Migration20261123000002Subscriptions.js';
import { Migration20261123000003OrderReadModels } from './Migration20261123000003OrderReadModels.js';
import { Migration20261129000001OrderTotalsOrders } from './Migration20261129000001OrderTotalsOrders.js';

/** Every migration, in order. The migrator runs this list, so no file globbing at run time. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261123000001EventStore', class: Migration20261123000001EventStore },
  { name: 'Migration20261123000002Subscriptions', class: Migration20261123000002Subscriptions },
  { name: 'Migration20261123000003OrderReadModels', class: Migration20261123000003OrderReadModels },
  { name: 'Migration20261129000001OrderTotalsOrders', class: Migration20261129000001OrderTotalsOrders },
];
