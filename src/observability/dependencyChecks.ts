import pg from 'pg';
import type { ChronicleConfig } from '../config/index.js';
import { openRedis } from '../services/index.js';
import type { ReadinessCheck } from './podServer.js';

export type DependencyChecks = {
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  close(): Promise<void>;
};

/**
 * Readiness probes for PostgreSQL and Redis on connections of their own, so a probe reports the
 * dependency itself and never waits behind the pod's busy pool.
 */
export const createDependencyChecks = (
  config: Pick<ChronicleConfig, 'databaseUrl' | 'redisUrl' | 'redisClusterNodes'>,
): DependencyChecks => {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 1, connectionTimeoutMillis: 2_000 });
  pool.on('error', () => {}); // a dropped idle connection is reported by the next probe
  const redis = openRedis(config, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  redis.on('error', () => {});
  return {
    checks: {
      postgres: async () => {
        await pool.query('select 1');
        return true;
      },
      redis: async () => {
        if (redis.status === 'wait' || redis.status === 'end') await redis.connect();
        return (await redis.ping()) === 'PONG';
      },
    },
    close: async () => {
      await pool.end();
      redis.disconnect();
    },
  };
};
