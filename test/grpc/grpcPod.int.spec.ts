import { once } from 'node:events';
import { status } from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { authEnv, keys } from '../http/support/apiKeys.js';
import { startApiPod } from '../http/support/apiPod.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { connect, withKey } from './grpcClient.js';

let path: CommandPath | undefined;

afterAll(async () => {
  await path?.close();
});

describe('the api pod with GRPC_PORT', () => {
  it('serves gRPC beside HTTP; on SIGTERM it ends live feeds with UNAVAILABLE and exits 0', async () => {
    path = await createCommandPath();
    const api = await startApiPod({ ...path.podEnv, ...authEnv, GRPC_PORT: '0' });
    const grpcPort = /"grpcPort":(\d+)/.exec(api.pod.output())?.[1];
    expect(grpcPort).toMatch(/^\d+$/);
    const client = connect(`127.0.0.1:${grpcPort}`);
    try {
      expect(await client.healthCheck({ service: 'chronicle.v1.ChronicleService' })).toEqual({
        status: 'SERVING',
      });
      const feed = client.subscribe({}, withKey(keys.reader));
      await once(feed, 'metadata');
      const ended = once(feed, 'error') as Promise<[{ code: number }]>;
      const exit = api.stop();
      const [error] = await ended;
      expect(error.code).toBe(status.UNAVAILABLE);
      expect(await exit).toEqual({ code: 0, signal: null });
    } finally {
      client.close();
    }
  }, 90_000);
});
