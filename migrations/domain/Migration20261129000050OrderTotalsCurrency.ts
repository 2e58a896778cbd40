import { Migration } from '@mikro-orm/migrations';

/**
 * order_totals added amounts up across currencies (ten euros and ten dollars made twenty). Its
 * buckets are now per shipping status and currency, and each order keeps its currency. The sums it
 * holds cannot be split after the fact: empty it and put its checkpoint back at the start, so the
 * projection worker replays it (version-1 OrderPlaced events read as euros).
 */
export class Migration20261129000050OrderTotalsCurrency extends Migration {
  override async up(): Promise<void> {
    this.addSql('delete from order_totals');
    this.addSql('delete from order_totals_orders');
    this.addSql(`delete from es_checkpoints where subscription = 'order_totals'`);
    this.addSql('alter table order_totals_orders add column currency char(3) not null');
    this.addSql('alter table order_totals add column currency char(3) not null');
    this.addSql('alter table order_totals drop constraint order_totals_pkey');
    this.addSql('alter table order_totals add primary key (shipping_status, currency)');
  }

  override async down(): Promise<void> {
    this.addSql('delete from order_totals');
    this.addSql('delete from order_totals_orders');
    this.addSql(`delete from es_checkpoints where subscription = 'order_totals'`);
    this.addSql('alter table order_totals drop constraint order_totals_pkey');
    this.addSql('alter table order_totals drop column currency');
    this.addSql('alter table order_totals add primary key (shipping_status)');
    this.addSql('alter table order_totals_orders drop column currency');
  }
}
