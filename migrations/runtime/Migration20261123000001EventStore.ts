import { Migration } from '@mikro-orm/migrations';

/** The event store: events, stream heads, snapshots and the command ledger. */
export class Migration20261123000001EventStore extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table es_streams (
        stream_type text not null,
        stream_id text not null,
        version integer not null check (version >= 0),
        updated_at timestamptz not null default now(),
        primary key (stream_type, stream_id)
      )`);
    this.addSql(`
      create table es_events (
        global_position bigint generated always as identity primary key,
        transaction_id xid8 not null default pg_current_xact_id(),
        stream_type text not null,
        stream_id text not null,
        version integer not null check (version > 0),
        event_id uuid not null unique,
        type text not null,
        schema_version integer not null default 1,
        data jsonb not null,
        metadata jsonb not null,
        recorded_at timestamptz not null default now(),
        unique (stream_type, stream_id, version)
      )`);
    // subscriptions read in commit-safe order: (transaction_id, global_position)
    this.addSql('create index es_events_transaction_order on es_events (transaction_id, global_position)');
    this.addSql('create index es_events_type on es_events (type, global_position)');
    this.addSql(`
      create table es_snapshots (
        stream_type text not null,
        stream_id text not null,
        version integer not null check (version > 0),
        machine_hash text not null,
        state jsonb not null,
        taken_at timestamptz not null default now(),
        primary key (stream_type, stream_id)
      )`);
    this.addSql(`
      create table es_commands (
        command_id text primary key,
        stream_type text not null,
        stream_id text not null,
        command_type text not null,
        status text not null check (status in ('accepted')),
        -- the events it appended are versions first_version..last_version of its stream
        -- (none when first_version > last_version): its result is rebuilt from them
        first_version integer not null,
        last_version integer not null,
        recorded_at timestamptz not null default now()
      )`);
    this.addSql('create index es_commands_stream on es_commands (stream_type, stream_id)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists es_commands, es_snapshots, es_events, es_streams');
  }
}
