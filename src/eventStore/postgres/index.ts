export * from './appendToStream.js';
export * from './createPostgresEventStore.js';
export * from './findCommandResult.js';
export * from './rowToEvent.js';
export * from './sql.js';
