import { type Db, query } from './sql.js';

/** Drops the heartbeats of a subscription's workers (a shadow that is done or starts over). */
export const forgetSubscriptionWorkers = async (db: Db, name: string): Promise<void> => {
  await query(db, 'delete from es_subscription_workers where subscription = ?', [name]);
};
