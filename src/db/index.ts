export * from './createOrm.js';
export * from './ensureDatabase.js';
export * from './migrate.js';
