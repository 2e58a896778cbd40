import { Migration } from '@mikro-orm/migrations';

/**
 * The snapshots a newer one replaced, kept for inspection (`GET /v1/snapshots/:type/:id`): the
 * latest stays alone in es_snapshots, so hydration reads what it read before. Each write moves the
 * snapshot it replaces here and prunes the stream's oldest past CHRONICLE_SNAPSHOT_HISTORY - 1.
 */
export class Migration20261207160005SnapshotHistory extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table es_snapshot_history (
        stream_type text not null,
        stream_id text not null,
        version integer not null check (version > 0),
        machine_hash text not null,
        state jsonb not null,
        taken_at timestamptz not null,
        replaced_at timestamptz not null default now(),
        primary key (stream_type, stream_id, version, machine_hash)
      )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists es_snapshot_history');
  }
}
