export * from './appendToStream.js';
export * from './createPostgresEventStore.js';
export * from './sql.js';
