import { type PodProcess, startPod } from '../../support/processes.js';

export type SpawnedWorker = PodProcess & { readonly id: string };

/** A projection worker pod, as deployed: `node --import tsx workers/projection-worker.ts`. */
export const spawnProjectionWorker = (
  databaseUrl: string,
  id: string,
  env: Record<string, string> = {},
): SpawnedWorker => ({
  id,
  ...startPod('workers/projection-worker.ts', {
    DATABASE_URL: databaseUrl,
    CHRONICLE_WORKER_ID: id,
    CHRONICLE_SUBSCRIPTION_LEASE_MS: '1500',
    CHRONICLE_SUBSCRIPTION_POLL_MS: '100',
    CHRONICLE_SUBSCRIPTION_BACKOFF_MS: '20',
    LOG_LEVEL: 'warn',
    ...env,
  }),
});
