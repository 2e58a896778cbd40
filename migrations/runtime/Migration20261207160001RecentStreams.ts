import { Migration } from '@mikro-orm/migrations';

/**
 * The UI's start page lists each stream type's streams, most recently appended to first: an index
 * on (stream_type, updated_at) makes that a walk of the newest few entries, whatever the number of
 * streams. Appends move updated_at, and no append's row update is HOT already (the snapshot-due
 * index covers the version), so this is one more index entry per append.
 */
export class Migration20261207160001RecentStreams extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index es_streams_recent on es_streams (stream_type, updated_at desc)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists es_streams_recent');
  }
}
