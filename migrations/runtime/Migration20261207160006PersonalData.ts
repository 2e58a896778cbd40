import { Migration } from '@mikro-orm/migrations';

/**
 * Personal data, encrypted per subject (docs/personal-data.md). `es_events.subjects` names the
 * subjects whose data an event holds sealed (null for the rest: no cost to them); its partial GIN
 * index is how forgetting finds a subject's streams and commands. `es_data_keys` holds each
 * subject's data key wrapped with a key-encryption key (`kek_id`, so a rotation rewraps keys and
 * never touches events); `es_key_encryption_keys` a check value per key-encryption key, so a pod
 * given the wrong key stops at start. `es_forgotten_subjects` is the audit trail of forgetting,
 * and keeps a forgotten subject from getting a key again.
 */
export class Migration20261207160006PersonalData extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table es_events add column subjects text[]');
    this.addSql(
      'create index es_events_subjects on es_events using gin (subjects) where subjects is not null',
    );
    this.addSql(`create table es_data_keys (
      subject text primary key,
      kek_id text not null,
      wrapped bytea not null,
      created_at timestamptz not null default now()
    )`);
    this.addSql('create index es_data_keys_kek on es_data_keys (kek_id)');
    this.addSql(`create table es_key_encryption_keys (
      kek_id text primary key,
      check_value bytea not null,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create table es_forgotten_subjects (
      subject text primary key,
      forgotten_at timestamptz not null default now(),
      forgotten_by text not null,
      reason text not null
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists es_forgotten_subjects');
    this.addSql('drop table if exists es_key_encryption_keys');
    this.addSql('drop table if exists es_data_keys');
    this.addSql('drop index if exists es_events_subjects');
    this.addSql('alter table es_events drop column subjects');
  }
}
