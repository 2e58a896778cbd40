/**
 * The same deployment (two command-worker pods, 16 waiting callers) on a private redis-server and
 * on a private 3-master Redis Cluster (REDIS_CLUSTER_NODES), in the same run: what the cluster's
 * routing costs on one machine, and the Redis commands per command on each.
 */
import { type ScaleStep, startBenchRedis, startDeployment } from './scaleOut.js';
import { pickMedian, ratio } from './stats.js';

const measure = async (kind: 'single' | 'cluster', shards: number, pods: number, operations: number) => {
  const redis = await startBenchRedis(kind);
  try {
    const deployment = await startDeployment(redis, shards, 64);
    try {
      await deployment.grow(pods);
      return await deployment.closedLoad(operations, 16);
    } finally {
      await deployment.stop();
    }
  } finally {
    await redis.stop();
  }
};

export const redisClusterBench = async (operations: number, shards: number, rounds = 1, pods = 2) => {
  const single: ScaleStep[] = [];
  const cluster: ScaleStep[] = [];
  for (let round = 0; round < rounds; round++) {
    single.push(await measure('single', shards, pods, operations));
    cluster.push(await measure('cluster', shards, pods, operations));
  }
  const [one, many] = [pickMedian(single), pickMedian(cluster)];
  return {
    shards,
    pods,
    callers: 16,
    singleRedis: one,
    cluster3Masters: many,
    throughputClusterVsSingle: ratio(many.perSecond, one.perSecond),
    p99ClusterVsSingle: ratio(many.p99Ms, one.p99Ms),
  };
};
