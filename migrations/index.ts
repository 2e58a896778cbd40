import type { MigrationObject } from '@mikro-orm/core';
import { domainMigrations } from './domain/index.js';
import { runtimeMigrations } from './runtime/index.js';

export { domainMigrations, runtimeMigrations };

/** What `chronicle migrate` applies for this deployment: the runtime's schema first, then the domain's. */
export const migrationsList: readonly MigrationObject[] = [...runtimeMigrations, ...domainMigrations];
