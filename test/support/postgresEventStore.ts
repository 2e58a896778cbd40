import { afterAll, beforeAll } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { createPostgresEventStore, type EventStore } from '../../src/eventStore/index.js';
import { createTestDatabase, type TestDatabase } from './testDatabase.js';

/**
 * The PostgreSQL event store on a fresh database for the enclosing describe block: opened before
 * its specs, dropped after them. Read `store` inside the specs (it is set by then).
 */
export const usePostgresEventStore = () => {
  const opened = {} as { db: TestDatabase; store: EventStore };
  beforeAll(async () => {
    opened.db = await createTestDatabase();
    opened.store = createPostgresEventStore(opened.db.orm, { schemas: domainEventSchemas });
  });
  afterAll(() => opened.db.drop());
  return opened;
};
