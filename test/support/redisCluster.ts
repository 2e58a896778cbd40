import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { RedisNode } from '../../src/config/index.js';
import { freePort } from './freePort.js';
import { waitForPing } from './privateRedis.js';
import { waitFor } from './waitFor.js';

export type PrivateRedisCluster = {
  /** The masters, as REDIS_CLUSTER_NODES takes them. */
  readonly nodes: readonly RedisNode[];
  /** `host:port,…`: the value of REDIS_CLUSTER_NODES for a pod. */
  readonly setting: string;
  /** Every key each master holds, by `host:port`. */
  keysByMaster(): Promise<Map<string, string[]>>;
  stop(): Promise<void>;
};

const run = promisify(execFile);

/**
 * A Redis Cluster of this test's own: `masters` redis-servers with cluster mode on, on free ports
 * (the cluster bus on free ports too), each in a temporary directory, joined by `redis-cli --cluster
 * create` with no replicas. Resolves once every node says the cluster is ok.
 */
export const startPrivateRedisCluster = async (masters = 3): Promise<PrivateRedisCluster> => {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-redis-cluster-'));
  const children: ChildProcess[] = [];
  const nodes: RedisNode[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGKILL');
        await once(child, 'exit');
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < masters; index++) {
      const [port, busPort] = [await freePort(), await freePort()];
      children.push(
        spawn(
          'redis-server',
          [
            '--port',
            String(port),
            '--cluster-port',
            String(busPort),
            '--bind',
            '127.0.0.1',
            '--dir',
            dir,
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            `nodes-${port}.conf`,
            '--cluster-node-timeout',
            '5000',
            '--save',
            '',
            '--appendonly',
            'no',
          ],
          { stdio: 'ignore' },
        ),
      );
      nodes.push({ host: '127.0.0.1', port });
    }
    const addresses = nodes.map(({ host, port }) => `${host}:${port}`);
    for (const [index, child] of children.entries()) await waitForPing(`redis://${addresses[index]}`, child);
    const clients = nodes.map(({ host, port }) => new Redis({ host, port }));
    try {
      await run('redis-cli', [
        '--cluster',
        'create',
        ...addresses,
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      await waitFor(
        async () =>
          (await Promise.all(clients.map((client) => client.cluster('INFO')))).every((info) =>
            String(info).includes('cluster_state:ok'),
          ),
        { timeoutMs: 30_000, what: 'cluster_state:ok on every node' },
      );
    } finally {
      for (const client of clients) client.disconnect();
    }
    return {
      nodes,
      setting: addresses.join(','),
      keysByMaster: async () => {
        const found = new Map<string, string[]>();
        for (const { host, port } of nodes) {
          const client = new Redis({ host, port });
          try {
            found.set(`${host}:${port}`, await client.keys('*'));
          } finally {
            client.disconnect();
          }
        }
        return found;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
