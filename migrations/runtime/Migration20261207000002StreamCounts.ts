import { Migration } from '@mikro-orm/migrations';

/**
 * Streams and events per stream type, maintained as events are appended, so the store's figures
 * (`GET /v1/stats`) read a few rows instead of every stream head. Each append statement adds its
 * figures to the row of its stream type and its connection's slot (backend pid mod 1024): appends on
 * different connections rarely touch the same row, so the counters serialize no append behind
 * another, and a read sums at most 1024 rows per stream type. A stream is counted once its first
 * event (version 1) is stored. The figures so far are taken from the stream heads, once.
 */
export class Migration20261207000002StreamCounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table es_stream_counts (
        stream_type text not null,
        slot integer not null,
        streams bigint not null default 0,
        events bigint not null default 0,
        primary key (stream_type, slot)
      )`);
    this.addSql(`
      create function es_stream_counts_add() returns trigger language plpgsql as $$
      begin
        -- in stream type order, so two appends sharing a slot lock its rows in one order
        insert into es_stream_counts as c (stream_type, slot, streams, events)
        select stream_type, pg_backend_pid() % 1024, count(*) filter (where version = 1), count(*)
        from appended group by stream_type order by stream_type
        on conflict (stream_type, slot) do update
          set streams = c.streams + excluded.streams, events = c.events + excluded.events;
        return null;
      end $$`);
    this.addSql('lock table es_events in share row exclusive mode');
    this.addSql(`
      create trigger es_events_stream_counts after insert on es_events
      referencing new table as appended for each statement execute function es_stream_counts_add()`);
    this.addSql(`
      insert into es_stream_counts (stream_type, slot, streams, events)
      select stream_type, 0, count(*), coalesce(sum(version), 0) from es_streams group by stream_type`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists es_events_stream_counts on es_events');
    this.addSql('drop function if exists es_stream_counts_add()');
    this.addSql('drop table if exists es_stream_counts');
  }
}
