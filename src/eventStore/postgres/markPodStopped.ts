import { type Db, query } from './sql.js';

/** A pod that stopped on purpose says so: it shows as stopped at once, not when its row expires. */
export const markPodStopped = async (db: Db, podId: string): Promise<void> => {
  await query(db, 'update es_pods set stopped_at = now(), expires_at = now() where pod_id = ?', [podId]);
};
