import { Migration } from '@mikro-orm/migrations';

/**
 * The command ledger keeps each command's causation for ever (BullMQ forgets jobs): who caused it,
 * which correlation it belongs to, when and by whom it was issued, and a fingerprint of what it
 * asked (aggregate, command type, payload) so a command id means one command. Rejections are
 * recorded too (no events, so no versions: first_version > last_version), so a command is answered
 * once and every command of a correlation is in its story. Events are found by correlation id.
 */
export class Migration2026112900004NCommandCausation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table es_commands
        add column correlation_id text,
        add column causation_id text,
        add column fingerprint text,
        add column issued_at timestamptz,
        add column issued_by text,
        add column code text,
        add column message text,
        add column details jsonb`);
    this.addSql('alter table es_commands drop constraint es_commands_status_check');
    this.addSql(`
      alter table es_commands add constraint es_commands_status_check check (
        (status = 'accepted' and code is null) or (status = 'rejected' and code is not null)
      )`);
    this.addSql('create index es_commands_correlation on es_commands (correlation_id)');
    this.addSql("create index es_events_correlation on es_events ((metadata ->> 'correlationId'))");
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists es_events_correlation');
    this.addSql('drop index if exists es_commands_correlation');
    this.addSql("delete from es_commands where status = 'rejected'");
    this.addSql('alter table es_commands drop constraint es_commands_status_check');
    this.addSql(
      "alter table es_commands add constraint es_commands_status_check check (status in ('accepted'))",
    );
    this.addSql(`
      alter table es_commands
        drop column correlation_id, drop column causation_id, drop column fingerprint,
        drop column issued_at, drop column issued_by, drop column code, drop column message,
        drop column details`);
  }
}
