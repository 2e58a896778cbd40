import { describe, expect, it } from 'vitest';
import { loadConfig } from './chronicleConfig.js';

describe('REDIS_CLUSTER_NODES', () => {
  it('unset or empty: no cluster, REDIS_URL is the one Redis', () => {
    expect(loadConfig({}).redisClusterNodes).toBeUndefined();
    expect(loadConfig({ REDIS_CLUSTER_NODES: ' , ' }).redisClusterNodes).toBeUndefined();
  });

  it('reads host:port seed nodes separated by commas, IPv6 addresses in brackets', () => {
    expect(
      loadConfig({ REDIS_CLUSTER_NODES: 'redis-0.redis:6379, 10.0.0.2:7001,[::1]:7002' }).redisClusterNodes,
    ).toEqual([
      { host: 'redis-0.redis', port: 6379 },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
  });

  it('refuses a node without a port, a port out of range, and a URL', () => {
    for (const raw of ['redis-0', 'redis-0:0', 'redis-0:70000', 'redis://redis-0:6379', 'a:1;b:2']) {
      expect(() => loadConfig({ REDIS_CLUSTER_NODES: raw }), raw).toThrow(/REDIS_CLUSTER_NODES must list/);
    }
  });
});
