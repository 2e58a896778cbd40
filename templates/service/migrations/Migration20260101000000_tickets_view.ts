import { Migration } from 'chronicle-runtime';

/** The read model of src/ticketsView.ts. `chronicle migration create <name>` writes the next one. */
export class Migration20260101000000_tickets_view extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table tickets_view (
        ticket_id text primary key,
        title text not null,
        customer text not null,
        priority text not null,
        agent text,
        status text not null,
        opened_at timestamptz not null,
        resolved_at timestamptz
      )`);
    this.addSql('create index tickets_view_opened_at on tickets_view (opened_at desc)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table tickets_view');
  }
}
