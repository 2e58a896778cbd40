import { beforeAll, describe, expect, it } from 'vitest';
import { findUnreachable, type ServiceName, serviceInfo } from '../../src/services/index.js';
import { closedPort } from '../support/closedPort.js';
import { startPod } from '../support/processes.js';

/** Every entry point a person runs, and the services it needs before it does anything. */
const entryPoints: readonly { name: string; entry: string; args: string[]; needs: ServiceName[] }[] = [
  { name: 'chronicle migrate', entry: 'workers/cli.ts', args: ['migrate'], needs: ['postgres'] },
  {
    name: 'chronicle send',
    entry: 'workers/cli.ts',
    args: ['send', 'order', 'o-1', 'PlaceOrder'],
    needs: ['redis'],
  },
  {
    name: 'chronicle events',
    entry: 'workers/cli.ts',
    args: ['events', 'order', 'o-1'],
    needs: ['postgres'],
  },
  { name: 'chronicle state', entry: 'workers/cli.ts', args: ['state', 'order', 'o-1'], needs: ['postgres'] },
  {
    name: 'chronicle projections status',
    entry: 'workers/cli.ts',
    args: ['projections', 'status'],
    needs: ['postgres'],
  },
  ...(['command', 'projection', 'snapshot', 'api'] as const).map((kind) => ({
    name: `chronicle worker ${kind}`,
    entry: 'workers/cli.ts',
    args: ['worker', kind],
    needs: ['postgres', 'redis'] as ServiceName[],
  })),
  {
    name: 'chronicle worker nats',
    entry: 'workers/cli.ts',
    args: ['worker', 'nats'],
    needs: ['postgres', 'redis', 'nats'],
  },
  { name: 'npm run demo', entry: 'scripts/demo.ts', args: [], needs: ['postgres', 'redis'] },
  // CHRONICLE_NATS_URL is set in every case below: dev then needs NATS (unset, it runs without the nats pod)
  { name: 'chronicle dev', entry: 'workers/cli.ts', args: ['dev'], needs: ['postgres', 'redis', 'nats'] },
];

const serverUrl = new URL(
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/chronicle_test',
);

describe.each(['postgres', 'redis', 'nats'] as const)('with %s on a closed port', (service) => {
  let port: number;
  let env: Record<string, string>;
  beforeAll(async () => {
    port = await closedPort();
    // the other services are the real ones; a database that does not exist is still a reachable server
    const databaseUrl = new URL(serverUrl);
    databaseUrl.pathname = '/chronicle_never_created';
    if (service === 'postgres') databaseUrl.port = String(port);
    env = {
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL:
        service === 'redis'
          ? `redis://127.0.0.1:${port}`
          : (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
      CHRONICLE_NATS_URL:
        service === 'nats'
          ? `nats://127.0.0.1:${port}`
          : (process.env.CHRONICLE_NATS_URL ?? 'nats://127.0.0.1:4222'),
      PORT: '0',
    };
  });
  it.each(entryPoints.filter(({ needs }) => needs.includes(service)))(
    '$name exits 1 with one line naming the service and its address, no stack trace',
    async ({ entry, args }) => {
      const run = startPod(entry, env, args);
      const { code } = await run.exited;
      const lines = run.output().trim().split('\n');
      expect(code).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        `${serviceInfo[service].label} at 127.0.0.1:${port} (${serviceInfo[service].env}) is not reachable`,
      );
      expect(lines[0]).toContain(`docker compose -f docker-compose.dev.yml up -d ${service}`);
      expect(run.output()).not.toMatch(/^\s+at /m);
    },
  );
});

describe('the NATS probe', () => {
  it('finds NATS unreachable on a closed port and reachable where a server greets it', async () => {
    const port = await closedPort();
    expect(await findUnreachable({ natsUrl: `nats://127.0.0.1:${port}` }, ['nats'])).toEqual([
      { service: 'nats', host: '127.0.0.1', port },
    ]);
    expect(
      await findUnreachable({ natsUrl: process.env.CHRONICLE_NATS_URL ?? 'nats://127.0.0.1:4222' }, ['nats']),
    ).toEqual([]);
  });

  it('does not take another service on the NATS port for NATS', async () => {
    const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    expect(await findUnreachable({ natsUrl: `nats://${redis.host}` }, ['nats'])).toHaveLength(1);
  });
});
