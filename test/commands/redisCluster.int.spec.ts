import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lookupShardCount,
  PRE_RECORD_DEFAULT_SHARDS,
  shardCountKey,
  shardQueueName,
} from '../../src/commands/index.js';
import { DEFAULT_SHARDS } from '../../src/config/index.js';
import { query } from '../../src/eventStore/index.js';
import type { CommandResult } from '../../src/messages/index.js';
import { openRedis } from '../../src/services/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { type PodProcess, startPod } from '../support/processes.js';
import { type PrivateRedisCluster, startPrivateRedisCluster } from '../support/redisCluster.js';
import { testQueuePrefix } from '../support/testDatabase.js';

const ORDERS = 24;
const COMMANDS_PER_ORDER = 12;
const SHARDS = 8;

describe('command shards over a Redis Cluster (REDIS_CLUSTER_NODES)', () => {
  let cluster: PrivateRedisCluster;
  let path: CommandPath;
  let pods: PodProcess[] = [];
  beforeAll(async () => {
    cluster = await startPrivateRedisCluster(3);
    path = await createCommandPath({ redisClusterNodes: cluster.nodes, shards: SHARDS });
    pods = [0, 1].map(() => startPod('workers/command-worker.ts', path.podEnv));
    await Promise.all(pods.map((pod) => pod.waitFor(/command worker started/)));
  }, 180_000);
  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.kill('SIGTERM')));
    await path?.close();
    await cluster?.stop();
  });

  const commandId = (order: number, k: number) => `cluster-${order}-${k}`;
  const commandOf = (order: number, k: number) => ({
    ...(k === 0 ? placeOrder(`order-${order}`) : paymentAttempt(`order-${order}`, k)),
    commandId: commandId(order, k),
  });

  it('given order lifecycles sent through two command pods at once, each sent twice, runs every order’s commands once each, in enqueue order', async () => {
    const sends: Promise<CommandResult>[] = [];
    // command k of every order, then k+1: every shard sees the orders mixed; each send twice at
    // once (a caller retrying): one job, one effect, both hear the one answer
    for (let k = 0; k < COMMANDS_PER_ORDER; k++) {
      for (let o = 0; o < ORDERS; o++) {
        for (let copy = 0; copy < 2; copy++)
          sends.push(path.client.send(commandOf(o, k), { wait: true, timeoutMs: 90_000 }));
      }
    }
    const results = await Promise.all(sends);
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);

    // a resend after the fact is answered with the first result, and changes nothing
    const again = await path.client.send(commandOf(3, 5), { wait: true, timeoutMs: 90_000 });
    expect(again).toEqual(results.find((result) => result.commandId === commandId(3, 5)));

    const streams = await query<{
      stream_id: string;
      versions: number[];
      commands: string[];
      reasons: string[];
    }>(
      path.db.orm.em.getKnex(),
      `select stream_id, array_agg(version order by version) as versions,
              array_agg(metadata->>'commandId' order by version) as commands,
              array_agg(data->>'reason' order by version) filter (where type = 'OrderPaymentFailed') as reasons
       from es_events group by stream_id`,
    );
    expect(streams).toHaveLength(ORDERS);
    for (const stream of streams) {
      const order = Number(stream.stream_id.replace('order-', ''));
      // one event per command, none lost, none doubled, contiguous from 1
      expect(stream.versions).toEqual(Array.from({ length: COMMANDS_PER_ORDER }, (_, v) => v + 1));
      expect(stream.commands).toEqual(
        Array.from({ length: COMMANDS_PER_ORDER }, (_, k) => commandId(order, k)),
      );
      // the failures carry their sequence number: enqueue order kept
      expect(stream.reasons).toEqual(
        Array.from({ length: Math.floor((COMMANDS_PER_ORDER - 1) / 2) }, (_, i) => `attempt ${i + 1}`),
      );
    }
    expect(pods.every((pod) => pod.child.exitCode === null)).toBe(true);
  });

  it('keeps each shard queue’s keys on one master, and spreads the shard queues over several masters', async () => {
    const queueOf = (key: string) => /\{[^:]+:(commands-\d+)\}/.exec(key)?.[1];
    const mastersOfQueue = new Map<string, Set<string>>();
    for (const [master, keys] of await cluster.keysByMaster()) {
      for (const key of keys) {
        const queue = queueOf(key);
        if (queue) mastersOfQueue.set(queue, (mastersOfQueue.get(queue) ?? new Set()).add(master));
      }
    }
    expect([...mastersOfQueue.keys()].sort()).toEqual(
      Array.from({ length: SHARDS }, (_, shard) => shardQueueName(shard)).sort(),
    );
    for (const masters of mastersOfQueue.values()) expect(masters.size).toBe(1);
    const used = new Set([...mastersOfQueue.values()].flatMap((masters) => [...masters]));
    expect(used.size).toBeGreaterThan(1);
  });

  it('finds a deployment from before the record by its hash-tagged shard queue keys on the masters', async () => {
    const connection = openRedis(path.config, { maxRetriesPerRequest: null });
    try {
      await connection.del(shardCountKey(path.config.queuePrefix));
      expect(await lookupShardCount(connection, path.config.queuePrefix, 'default')).toBe(
        PRE_RECORD_DEFAULT_SHARDS,
      );
      expect(await lookupShardCount(connection, testQueuePrefix(), 'default')).toBe(DEFAULT_SHARDS);
    } finally {
      connection.disconnect();
    }
  });
});
