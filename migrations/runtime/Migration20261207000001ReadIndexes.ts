import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes that keep two reads flat as the store grows. The event feed filtered by type reads in
 * commit order, (transaction_id, global_position), so its index is (type, transaction_id,
 * global_position): a page is an ordered walk of its own type, and a type with no events answers
 * at once (the old (type, global_position) index could not give that order, so the read walked the
 * whole commit order filtering on type). The state at a time finds a stream's last event at or
 * before it through (stream_type, stream_id, recorded_at, version) instead of walking the stream
 * back from its head. Building them reads es_events once.
 */
export class Migration20261207000001ReadIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index es_events_type_order on es_events (type, transaction_id, global_position)');
    this.addSql('drop index if exists es_events_type');
    this.addSql(
      'create index es_events_stream_time on es_events (stream_type, stream_id, recorded_at, version)',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists es_events_stream_time');
    this.addSql('create index if not exists es_events_type on es_events (type, global_position)');
    this.addSql('drop index if exists es_events_type_order');
  }
}
