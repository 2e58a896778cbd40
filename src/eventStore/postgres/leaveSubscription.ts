import { type Db, query } from './sql.js';

export const leaveSubscription = async (db: Db, name: string, workerId: string): Promise<void> => {
  await query(db, 'delete from es_subscription_workers where subscription = ? and worker_id = ?', [
    name,
    workerId,
  ]);
};
