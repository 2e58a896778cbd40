import { describe, expect, it } from 'vitest';
import type { RedisConnection } from '../services/index.js';
import { shardQueueKeyPattern } from './shardFor.js';

const single = { isCluster: false } as RedisConnection;
const cluster = { isCluster: true } as RedisConnection;

describe('the SCAN pattern for a prefix’s shard queue keys', () => {
  it('matches the keys BullMQ makes under the prefix, on one Redis and (hash-tagged) on a cluster', () => {
    expect(shardQueueKeyPattern(single, 'chronicle')).toBe('chronicle:commands-[0-9]*');
    expect(shardQueueKeyPattern(cluster, 'chronicle')).toBe('{chronicle:commands-[0-9]*}:commands-[0-9]*');
  });

  it('takes glob characters in the prefix literally, so another prefix’s queues do not count', () => {
    expect(shardQueueKeyPattern(single, 'a*b?[c]\\')).toBe('a\\*b\\?\\[c\\]\\\\:commands-[0-9]*');
  });
});
