import { Migration } from '@mikro-orm/migrations';

/** Read models of the sample domain, written by the projections in actors/projections. */
export class Migration20261123000003OrderReadModels extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table orders_view (
        order_id text primary key,
        customer_id text not null,
        payment_status text not null,
        shipping_status text not null,
        total_price numeric not null,
        quantity integer not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        version integer not null
      )`);
    this.addSql('create index orders_view_created on orders_view (created_at desc, order_id)');
    this.addSql('create index orders_view_payment on orders_view (payment_status, created_at desc)');
    this.addSql('create index orders_view_shipping on orders_view (shipping_status, created_at desc)');
    // one row per shipping status: no single hot row, and the totals are sums over a handful of rows
    this.addSql(`
      create table order_totals (
        shipping_status text primary key,
        orders bigint not null default 0 check (orders >= 0),
        amount numeric not null default 0
      )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists order_totals, orders_view');
  }
}
