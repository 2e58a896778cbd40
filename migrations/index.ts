import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000001EventStore } from './Migration20261123000001EventStore.js';

/** Every migration, in order. The migrator runs this list, so no file globbing at run time. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261123000001EventStore', class: Migration20261123000001EventStore },
];
