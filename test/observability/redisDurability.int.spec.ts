import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/index.js';
import { warnIfRedisNotDurable } from '../../src/observability/index.js';
import { createCommandPath } from '../support/commandPath.js';
import { type PrivateRedis, startPrivateRedis } from '../support/privateRedis.js';
import { startPod } from '../support/processes.js';

const servers: PrivateRedis[] = [];
const redis = async (args: string[]) => {
  const server = await startPrivateRedis(args);
  servers.push(server);
  return server;
};

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

const logger = createLogger('redis-durability-test', { level: 'silent' });

describe('Redis durability, checked at pod start', () => {
  it('is durable with AOF on and noeviction', async () => {
    const durable = await redis([
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      'noeviction',
    ]);
    expect(await warnIfRedisNotDurable(durable.url, logger)).toEqual({ status: 'durable' });
  });

  it('names each risk: no AOF, an evicting policy', async () => {
    const forgetful = await redis(['--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru']);
    expect(await warnIfRedisNotDurable(forgetful.url, logger)).toEqual({
      status: 'at-risk',
      problems: [
        expect.stringMatching(/append-only file off/),
        expect.stringMatching(/maxmemory-policy allkeys-lru/),
      ],
    });
  });

  it('neither fails nor hangs when Redis is down', async () => {
    const gone = await redis([]);
    await gone.stop();
    expect(await warnIfRedisNotDurable(gone.url, logger)).toMatchObject({ status: 'unknown' });
  });

  it('a command worker pod on a Redis without AOF logs the warning before it is ready', async () => {
    const forgetful = await redis(['--appendonly', 'no', '--maxmemory-policy', 'volatile-lru']);
    const path = await createCommandPath({ redisUrl: forgetful.url });
    const pod = startPod('workers/command-worker.ts', path.podEnv);
    try {
      await pod.waitFor(/chronicle-command-worker ready/, 60_000);
      const output = pod.output();
      const warning = output.indexOf('Redis is not durable');
      expect(warning, output).toBeGreaterThanOrEqual(0);
      expect(warning).toBeLessThan(output.indexOf('chronicle-command-worker ready'));
      expect(output).toMatch(/maxmemory-policy volatile-lru/);
    } finally {
      await pod.kill('SIGTERM');
      await path.close();
    }
  });
});
