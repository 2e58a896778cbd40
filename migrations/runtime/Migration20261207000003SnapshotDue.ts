import { Migration } from '@mikro-orm/migrations';

/**
 * The snapshot sweep finds the streams due without reading every head. Each head keeps the version
 * of its stream's stored snapshot (`snapshot_version`, 0 for none; written with the snapshot), and
 * an index on how far the head is past it, per stream type, so "at least N past its snapshot" is
 * a range of that index holding only the streams due. Snapshots taken under another machine count
 * as none: es_snapshots_machine finds those by their hash.
 */
export class Migration20261207000003SnapshotDue extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table es_streams add column snapshot_version integer not null default 0');
    this.addSql(`
      update es_streams s set snapshot_version = sn.version
      from es_snapshots sn where sn.stream_type = s.stream_type and sn.stream_id = s.stream_id`);
    this.addSql(
      'create index es_streams_snapshot_due on es_streams (stream_type, (version - snapshot_version))',
    );
    this.addSql('create index es_snapshots_machine on es_snapshots (stream_type, machine_hash)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists es_snapshots_machine');
    this.addSql('drop index if exists es_streams_snapshot_due');
    this.addSql('alter table es_streams drop column if exists snapshot_version');
  }
}
