import { Migration } from '@mikro-orm/migrations';

/**
 * Saved what-if runs (`chronicle what-if --save`), for the admin routes and the UI: a run's summary,
 * and its divergences one row each, so a page of them is a range of the primary key however many
 * the run found. Saving keeps the newest 20 runs.
 */
export class Migration20261207160002WhatIfRuns extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table es_what_if_runs (
        run_id uuid primary key,
        candidate text not null,
        options jsonb not null,
        saved_at timestamptz not null default now(),
        summary jsonb not null
      )`);
    this.addSql('create index es_what_if_runs_saved on es_what_if_runs (saved_at desc)');
    this.addSql(`
      create table es_what_if_divergences (
        run_id uuid not null references es_what_if_runs (run_id) on delete cascade,
        seq integer not null,
        divergence jsonb not null,
        primary key (run_id, seq)
      )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists es_what_if_divergences, es_what_if_runs');
  }
}
