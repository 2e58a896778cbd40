// The in-memory adapter of the event store port: the PostgreSQL adapter's semantics, for tests.
export * from './createInMemoryEventStore.js';
