import { Migration } from '@mikro-orm/migrations';

/**
 * Orders have a currency since OrderPlaced version 2. Every row already in orders_view came from a
 * version-1 OrderPlaced, which reads as euros: the default fills them with exactly what a rebuild
 * would write, so nothing is replayed. The default is then dropped: the projection writes it.
 */
export class Migration20261129000030OrdersViewCurrency extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table orders_view add column currency char(3) not null default 'EUR'`);
    this.addSql('alter table orders_view alter column currency drop default');
  }

  override async down(): Promise<void> {
    this.addSql('alter table orders_view drop column if exists currency');
  }
}
