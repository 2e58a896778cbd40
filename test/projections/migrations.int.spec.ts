import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/eventStore/index.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

const tables = async (db: TestDatabase) =>
  (
    await query<{ tablename: string }>(
      db.orm.em.getKnex(),
      `select tablename from pg_tables where schemaname = current_schema()
         and tablename in ('es_checkpoints', 'es_subscription_workers', 'orders_view', 'order_totals', 'order_totals_orders')
       order by tablename`,
    )
  ).map((row) => row.tablename);

describe('migrations: subscriptions and order read models', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('apply to an empty database, roll back, and apply again', async () => {
    const all = [
      'es_checkpoints',
      'es_subscription_workers',
      'order_totals',
      'order_totals_orders',
      'orders_view',
    ];
    expect(await tables(db)).toEqual(all);
    const migrator = db.orm.getMigrator();
    await migrator.down({ to: 'Migration20261123000001EventStore' });
    expect(await tables(db)).toEqual([]);
    await migrator.up();
    expect(await tables(db)).toEqual(all);
  });
});
