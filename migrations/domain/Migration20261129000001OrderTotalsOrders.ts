import { Migration } from '@mikro-orm/migrations';

/**
 * order_totals keeps each order's current bucket, so a batch moves orders between buckets without
 * re-reading and re-folding their streams. The counts it holds now were built without those rows:
 * empty it and put its checkpoint back at the start, so the projection worker replays it.
 */
export class Migration20261129000001OrderTotalsOrders extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table order_totals_orders (
        order_id text primary key,
        shipping_status text not null,
        amount numeric not null
      )`);
    this.addSql('delete from order_totals');
    this.addSql(`delete from es_checkpoints where subscription = 'order_totals'`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists order_totals_orders');
  }
}
