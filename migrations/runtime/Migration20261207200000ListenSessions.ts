import { Migration } from '@mikro-orm/migrations';

/**
 * The backend pid of each subscription worker's LISTEN session, recorded by its heartbeat. Status
 * judges a worker gone when that session is (see readSubscriptionPartitions): its pooled
 * connections cannot tell, since behind PgBouncer an idle server connection keeps the
 * application_name of the last client it served, long after that client died. The LISTEN session
 * is always a session of its own, straight to PostgreSQL (DATABASE_LISTEN_URL).
 */
export class Migration20261207200000ListenSessions extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table es_subscription_workers add column listen_pid integer');
  }

  override async down(): Promise<void> {
    this.addSql('alter table es_subscription_workers drop column if exists listen_pid');
  }
}
