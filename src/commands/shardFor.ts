/**
 * Routes an aggregate to one of `shards` queues. FNV-1a over "type/id": stable across processes,
 * releases and platforms, so every pod sends an aggregate's commands to the same queue.
 */
export const shardFor = (aggregateType: string, aggregateId: string, shards: number): number => {
  let hash = 0x811c9dc5;
  const key = `${aggregateType}/${aggregateId}`;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
};

export const shardQueueName = (shard: number): string => `commands-${shard}`;
