import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainMigrations, migrationsList, runtimeMigrations } from '../../migrations/index.js';
import { createOrm, migrate, type Orm } from '../../src/db/index.js';
import { query } from '../../src/eventStore/index.js';
import { createTestDatabase, dropDatabase, type TestDatabase } from '../support/testDatabase.js';

type Column = { table_name: string; column_name: string; data_type: string; is_nullable: string };

describe('migrations applied to an empty database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const columns = async (table: string) =>
    Object.fromEntries(
      (
        await query<Column>(
          db.orm.em.getKnex(),
          `select table_name, column_name, data_type, is_nullable from information_schema.columns
           where table_schema = current_schema() and table_name = ? order by ordinal_position`,
          [table],
        )
      ).map((column) => [
        column.column_name,
        `${column.data_type}${column.is_nullable === 'NO' ? ' not null' : ''}`,
      ]),
    );

  it('records every migration as applied, in order', async () => {
    const applied = await query<{ name: string }>(
      db.orm.em.getKnex(),
      'select name from es_migrations order by id',
    );
    expect(applied.map((row) => row.name)).toEqual(migrationsList.map((migration) => migration.name));
  });

  it('creates es_events as the contracts in docs/architecture.md say, with unique (stream_type, stream_id, version)', async () => {
    expect(await columns('es_events')).toEqual({
      global_position: 'bigint not null',
      transaction_id: 'xid8 not null',
      stream_type: 'text not null',
      stream_id: 'text not null',
      version: 'integer not null',
      event_id: 'uuid not null',
      type: 'text not null',
      schema_version: 'integer not null',
      data: 'jsonb not null',
      metadata: 'jsonb not null',
      recorded_at: 'timestamp with time zone not null',
      // the data subjects whose personal fields the event seals (null: none)
      subjects: 'ARRAY',
    });
    const constraints = await query<{ definition: string }>(
      db.orm.em.getKnex(),
      `select pg_get_constraintdef(oid) as definition from pg_constraint where conrelid = 'es_events'::regclass order by 1`,
    );
    expect(constraints.map((row) => row.definition)).toEqual(
      expect.arrayContaining([
        'PRIMARY KEY (global_position)',
        'UNIQUE (event_id)',
        'UNIQUE (stream_type, stream_id, version)',
        'CHECK ((version > 0))',
      ]),
    );
    const [identity] = await query<{ is_identity: string; default: string | null }>(
      db.orm.em.getKnex(),
      `select is_identity, (select column_default from information_schema.columns
         where table_name = 'es_events' and column_name = 'transaction_id') as default
       from information_schema.columns where table_name = 'es_events' and column_name = 'global_position'`,
    );
    expect(identity).toEqual({ is_identity: 'YES', default: 'pg_current_xact_id()' });
  });

  it('creates the stream heads, snapshots and the command ledger', async () => {
    expect(await columns('es_streams')).toMatchObject({
      stream_type: 'text not null',
      version: 'integer not null',
    });
    expect(await columns('es_snapshots')).toMatchObject({
      version: 'integer not null',
      machine_hash: 'text not null',
      state: 'jsonb not null',
    });
    expect(await columns('es_commands')).toMatchObject({
      command_id: 'text not null',
      status: 'text not null',
      first_version: 'integer not null',
      last_version: 'integer not null',
      correlation_id: 'text',
      causation_id: 'text',
      fingerprint: 'text',
      code: 'text',
    });
  });

  it('rolls every migration back to an empty schema and applies them again', async () => {
    const migrator = db.orm.getMigrator();
    await migrator.down({ to: 0 });
    const left = await query<{ tablename: string }>(
      db.orm.em.getKnex(),
      `select tablename from pg_tables where schemaname = current_schema() and tablename <> 'es_migrations'`,
    );
    expect(left).toEqual([]);
    await migrator.up();
    expect(Object.keys(await columns('es_events'))).toHaveLength(12);
  });

  it("gives a deployment without a domain the runtime's tables only, and the domain's after them", async () => {
    const bare = new URL(db.url);
    bare.pathname = `${bare.pathname}_bare`;
    const tables = async (orm: Orm) =>
      (
        await query<{ tablename: string }>(
          orm.em.getKnex(),
          'select tablename from pg_tables where schemaname = current_schema() order by tablename',
        )
      ).map((row) => row.tablename);
    try {
      const runtimeOnly = await migrate(bare.toString());
      expect(runtimeOnly.applied).toEqual(runtimeMigrations.map((migration) => migration.name));
      const orm = await createOrm(bare.toString(), { poolSize: 1 });
      try {
        expect((await tables(orm)).filter((table) => !table.startsWith('es_'))).toEqual([]);
        const withDomain = await migrate(bare.toString(), domainMigrations);
        expect(withDomain.applied).toEqual(domainMigrations.map((migration) => migration.name));
        expect(await tables(orm)).toEqual(expect.arrayContaining(['orders_view', 'es_events']));
      } finally {
        await orm.close(true);
      }
    } finally {
      await dropDatabase(bare.toString());
    }
  });
});
