import { Migration } from '@mikro-orm/migrations';

/**
 * Events per event type, maintained as events are appended (es_event_type_counts), so
 * `GET /v1/stats` and `chronicle stats` read a few rows per type instead of counting es_events.
 * Kept like es_stream_counts: one statement trigger per append, each connection adding to its own
 * slot (backend pid mod 1024), so counters serialize no append behind another. Types are the
 * stored names (a renamed type keeps its old name's count). The figures so far are counted once.
 *
 * With it, the feed's `?from=<time>` finds its first event through es_events_recorded_at.
 */
export class Migration20261207160004EventTypeCounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table es_event_type_counts (
        type text not null,
        slot integer not null,
        events bigint not null default 0,
        primary key (type, slot)
      )`);
    this.addSql(`
      create function es_event_type_counts_add() returns trigger language plpgsql as $$
      begin
        -- in type order, so two appends sharing a slot lock its rows in one order
        insert into es_event_type_counts as c (type, slot, events)
        select type, pg_backend_pid() % 1024, count(*) from appended group by type order by type
        on conflict (type, slot) do update set events = c.events + excluded.events;
        return null;
      end $$`);
    this.addSql('lock table es_events in share row exclusive mode');
    this.addSql(`
      create trigger es_events_type_counts after insert on es_events
      referencing new table as appended for each statement execute function es_event_type_counts_add()`);
    this.addSql(`
      insert into es_event_type_counts (type, slot, events)
      select type, 0, count(*) from es_events group by type`);
    this.addSql('create index es_events_recorded_at on es_events (recorded_at, global_position)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists es_events_recorded_at');
    this.addSql('drop trigger if exists es_events_type_counts on es_events');
    this.addSql('drop function if exists es_event_type_counts_add()');
    this.addSql('drop table if exists es_event_type_counts');
  }
}
