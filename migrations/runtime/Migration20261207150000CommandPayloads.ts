import { Migration } from '@mikro-orm/migrations';

/**
 * The command ledger keeps each command's payload for a while (CHRONICLE_COMMAND_PAYLOAD_RETENTION_DAYS),
 * so `chronicle what-if` can decide it again with a candidate `decide`. Null once pruned, and for
 * commands recorded before this column. The partial index holds only the kept ones, so the
 * periodic prune finds the expired ones without reading the whole ledger, which is kept for ever.
 */
export class Migration20261207150000CommandPayloads extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table es_commands add column payload jsonb');
    this.addSql(
      'create index es_commands_payload_kept on es_commands (recorded_at) where payload is not null',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists es_commands_payload_kept');
    this.addSql('alter table es_commands drop column payload');
  }
}
