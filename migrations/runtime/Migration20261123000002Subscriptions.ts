import { Migration } from '@mikro-orm/migrations';

/**
 * Checkpoints and leases of event-stream subscriptions (projections, the snapshot worker).
 * One row per subscription partition: where it stands in (transaction_id, global_position) order,
 * who holds its lease until when, and the failure that stopped it, if any.
 */
export class Migration20261123000002Subscriptions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table es_checkpoints (
        subscription text not null,
        partition integer not null check (partition >= 0),
        partitions integer not null check (partitions > 0 and partition < partitions),
        transaction_id xid8 not null default '0',
        global_position bigint not null default 0,
        status text not null default 'active' check (status in ('active', 'failed')),
        owner text,
        lease_expires_at timestamptz,
        attempts integer not null default 0,
        last_error jsonb,
        updated_at timestamptz not null default now(),
        primary key (subscription, partition),
        check ((owner is null) = (lease_expires_at is null))
      )`);
    // the workers hosting each subscription, so each takes its fair share of partitions
    this.addSql(`
      create table es_subscription_workers (
        subscription text not null,
        worker_id text not null,
        expires_at timestamptz not null,
        started_at timestamptz not null default now(),
        primary key (subscription, worker_id)
      )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists es_subscription_workers, es_checkpoints');
  }
}
