import { Migration } from '@mikro-orm/migrations';

/**
 * The event a partition waits at (`waiting`, null when it waits at none): one written by a newer
 * release than the worker that reached it. Not a failure: the partition stays active, its attempts
 * untouched, and the batch that moves its checkpoint past the event clears it.
 */
export class Migration20261207160003CheckpointWaiting extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table es_checkpoints add column waiting jsonb');
  }

  override async down(): Promise<void> {
    this.addSql('alter table es_checkpoints drop column waiting');
  }
}
