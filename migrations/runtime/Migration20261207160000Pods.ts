import { Migration } from '@mikro-orm/migrations';

/**
 * The pods of a deployment, each saying it is alive (`chronicle cluster`, `GET /v1/cluster`): one
 * row per pod, its heartbeat moving `expires_at` on by the subscription lease time. A pod whose
 * row has expired is gone; rows gone for an hour are dropped by the heartbeats of the others.
 * `pod_id` is the pod's worker id: the owner its leases in es_checkpoints name.
 */
export class Migration20261207160000Pods extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table es_pods (
        pod_id text primary key,
        kind text not null,
        host text not null,
        pid integer not null,
        version text not null,
        started_at timestamptz not null,
        heartbeat_at timestamptz not null,
        expires_at timestamptz not null,
        stopped_at timestamptz,
        details jsonb not null default '{}'
      )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists es_pods');
  }
}
