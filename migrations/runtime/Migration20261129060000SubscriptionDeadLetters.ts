import { Migration } from '@mikro-orm/migrations';

/**
 * Events a subscription could not handle (a value its read model refuses, a handler bug), parked
 * so the partition goes on with every other stream. Later events of a parked stream are parked
 * behind it (per-stream order holds); `retry_requested` asks the partition's worker to replay them.
 * Also: the connection name of each subscription worker, so status can tell a dead one at once.
 */
export class Migration20261129060000SubscriptionDeadLetters extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table es_dead_letters (
        subscription text not null,
        event_id uuid not null,
        partition integer not null,
        transaction_id xid8 not null,
        global_position bigint not null,
        stream_type text not null,
        stream_id text not null,
        version integer not null,
        event_type text not null,
        code text not null,
        message text not null,
        attempts integer not null default 1,
        retry_requested boolean not null default false,
        parked_at timestamptz not null default now(),
        primary key (subscription, event_id)
      )`);
    this.addSql(
      'create index es_dead_letters_stream on es_dead_letters (subscription, stream_type, stream_id)',
    );
    this.addSql(
      'create index es_dead_letters_retry on es_dead_letters (subscription, partition) where retry_requested',
    );
    // the application_name a worker's connections carry: status shows its partitions unowned as
    // soon as no connection carries it any more (a killed pod), not only once its leases expire
    this.addSql('alter table es_subscription_workers add column connection_name text');
  }

  override async down(): Promise<void> {
    this.addSql('alter table es_subscription_workers drop column if exists connection_name');
    this.addSql('drop table if exists es_dead_letters');
  }
}
