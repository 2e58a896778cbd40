import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { type PrivateRedis, startPrivateRedis } from '../support/privateRedis.js';
import { authEnv } from './support/apiKeys.js';
import { type ApiPod, startApiPod } from './support/apiPod.js';

let redis: PrivateRedis;
let path: CommandPath;
let api: ApiPod;

beforeAll(async () => {
  redis = await startPrivateRedis(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']);
  path = await createCommandPath({ redisUrl: redis.url });
  api = await startApiPod({ ...path.podEnv, ...authEnv });
});

afterAll(async () => {
  await api?.stop();
  await redis?.stop();
  // the private Redis, and every key under the prefix, went with it: only the database is left
  await path?.client.close();
  await path?.db.drop();
});

describe('the api pod while Redis is down', () => {
  it('says so in one warning line per connection user, without a stack trace per reconnect attempt', async () => {
    await redis.stop();
    await api.pod.waitFor(/"msg":"api: Redis at 127\.0\.0\.1:\d+: connect ECONNREFUSED/);
    await api.pod.waitFor(/"msg":"command client: Redis at 127\.0\.0\.1:\d+: connect ECONNREFUSED/);
    const output = api.pod.output();
    expect(output).not.toMatch(/Unhandled error event/);
    expect(output).not.toMatch(/at TCPConnectWrap/);
    expect(output.match(/"msg":"api: Redis at[^"]*ECONNREFUSED/g)).toHaveLength(1);
  });
});
