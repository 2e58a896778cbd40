import { Migration } from '@mikro-orm/migrations';

/**
 * products_view: one row per product (name, vendor, price, status), written by the products_view
 * projection. Listed by product id, alone or per vendor or status, each a walk of its own index.
 */
export class Migration20261207160500ProductsView extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table products_view (
        product_id text primary key,
        vendor_id text not null,
        name text not null,
        price numeric not null,
        status text not null check (status in ('ON_SALE', 'DISCONTINUED')),
        created_at timestamptz not null,
        updated_at timestamptz not null,
        version integer not null
      )`);
    this.addSql('create index products_view_vendor on products_view (vendor_id, product_id)');
    this.addSql('create index products_view_status on products_view (status, product_id)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists products_view');
  }
}
