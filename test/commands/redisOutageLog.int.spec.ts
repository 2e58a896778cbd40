import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LoggerPort } from '../../src/logging/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';
import { type PrivateRedis, startPrivateRedis } from '../support/privateRedis.js';
import { waitFor } from '../support/waitFor.js';

describe("a Redis outage in a command worker's log", () => {
  let redis: PrivateRedis;
  let path: CommandPath;
  const lines: string[] = [];
  const logger: LoggerPort = {
    info: (_fields, message) => lines.push(`info ${message}`),
    warn: (_fields, message) => lines.push(`warn ${message}`),
    error: (_fields, message) => lines.push(`error ${message}`),
  };
  beforeAll(async () => {
    redis = await startPrivateRedis();
    path = await createCommandPath({ redisUrl: redis.url, shards: 4 });
    await path.startWorker({ logger });
  });
  afterAll(async () => {
    await path?.close();
    await redis?.stop();
  });

  it('is one line when it starts and one when it ends, whatever the shard workers and their attempts', async () => {
    expect(await path.client.send(placeOrder('before'), { wait: true })).toMatchObject({
      status: 'accepted',
    });
    lines.length = 0;
    // (a BullMQ queue with no error listener prints each error with its stack)
    const printed = vi.spyOn(console, 'error');
    // when Redis is away for 3 s (four shard workers, each with its connections, retrying)
    await redis.restart(3_000);
    expect(await path.client.send(placeOrder('after'), { wait: true, timeoutMs: 30_000 })).toMatchObject({
      status: 'accepted',
    });
    const about = () => lines.filter((line) => /Redis at|worker error|ECONNREFUSED/.test(line));
    // (the pod resumes its shard workers on the reconnection the reporter hears too)
    await waitFor(() => lines.includes('info shard limit asserted again; workers resumed'), {
      what: 'the reconnection',
    });
    // then the log has one warning naming Redis and what failed, and one line when it was back
    expect(about()).toEqual([
      expect.stringMatching(new RegExp(`^warn command worker: Redis at 127\\.0\\.0\\.1:${redis.port}: `)),
      `info command worker: Redis at 127.0.0.1:${redis.port}: connected again`,
    ]);
    expect(printed.mock.calls.map((call) => String(call[0]))).toEqual([]);
    printed.mockRestore();
  });
});
