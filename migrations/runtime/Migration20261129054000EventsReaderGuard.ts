import { Migration } from '@mikro-orm/migrations';

/**
 * Subscription readers mark their batch transactions (`chronicle.reader`, plus an advisory lock
 * other sessions see) so the horizon need not wait for them; this guard makes the mark a promise:
 * a marked transaction cannot append to es_events, so no event can hide behind a reader.
 */
export class Migration20261129054000EventsReaderGuard extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function es_events_refuse_reader_append() returns trigger language plpgsql as $$
      begin
        if current_setting('chronicle.reader', true) = 'on' then
          raise exception 'a subscription reader transaction may not append to es_events'
            using errcode = '0A000',
                  hint = 'declare the subscription with appendsEvents: true';
        end if;
        return null;
      end $$`);
    this.addSql(`
      create trigger es_events_reader_guard before insert on es_events
      for each statement execute function es_events_refuse_reader_append()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists es_events_reader_guard on es_events');
    this.addSql('drop function if exists es_events_refuse_reader_append()');
  }
}
