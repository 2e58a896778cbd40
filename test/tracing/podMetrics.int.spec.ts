import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { createCommandClient } from '../../src/commands/index.js';
import { createPostgresEventStore } from '../../src/eventStore/index.js';
import { REDIS_URL } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { type PodProcess, startPod } from '../support/processes.js';
import { sample } from '../support/prometheusSample.js';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.js';
import {
  createTestDatabase,
  dropQueuePrefix,
  type TestDatabase,
  testQueuePrefix,
} from '../support/testDatabase.js';
import { waitFor } from '../support/waitFor.js';

/** The pod server's port, from the pod's `<service> ready` log line. */
const metricsPortOf = async (pod: PodProcess, service: string): Promise<number> => {
  await pod.waitFor(new RegExp(`"${service} ready"`));
  const line = pod
    .output()
    .split('\n')
    .find((l) => l.includes(`"${service} ready"`));
  const port = (JSON.parse(line ?? '{}') as { metricsPort?: number }).metricsPort;
  if (!port) throw new Error(`no metricsPort in ${line}`);
  return port;
};

const get = async (port: number, path: string) => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, text: await response.text() };
};

describe('pod servers of real pods: /metrics after real commands, /readyz when PostgreSQL goes away', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  const pods: PodProcess[] = [];
  const ports = { command: 0, projection: 0, snapshot: 0 };
  const prefix = testQueuePrefix();
  const client = createCommandClient({ redisUrl: REDIS_URL, shards: 2, queuePrefix: prefix });

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      CHRONICLE_SHARDS: '2',
      CHRONICLE_QUEUE_PREFIX: prefix,
      CHRONICLE_SUBSCRIPTION_POLL_MS: '100',
      CHRONICLE_SNAPSHOT_SWEEP_MS: '3600000',
      METRICS_PORT: '0',
      HOST: '127.0.0.1', // the pod servers listen there, and are probed there
    };
    // the command worker reaches PostgreSQL only through the proxy, so the test can cut it off
    const throughProxy = new URL(db.url);
    throughProxy.port = String(proxy.port);
    const command = startPod('workers/command-worker.ts', { ...env, DATABASE_URL: throughProxy.toString() });
    const projection = startPod('workers/projection-worker.ts', env);
    const snapshot = startPod('workers/snapshot-worker.ts', env);
    pods.push(command, projection, snapshot);
    [ports.command, ports.projection, ports.snapshot] = await Promise.all([
      metricsPortOf(command, 'chronicle-command-worker'),
      metricsPortOf(projection, 'chronicle-projection-worker'),
      metricsPortOf(snapshot, 'chronicle-snapshot-worker'),
    ]);
  });
  afterAll(async () => {
    await client.close();
    await Promise.all(pods.map((pod) => pod.kill('SIGTERM')));
    await proxy?.close();
    await db?.drop();
    await dropQueuePrefix(REDIS_URL, prefix);
  });

  it('serves the command, actor, projection and snapshot metrics as Prometheus text', async () => {
    // one order through 100 events (a snapshot is due at 100), queued at once, answered in order
    expect(await client.send(placeOrder('m-1'), { wait: true })).toMatchObject({ status: 'accepted' });
    for (let n = 1; n < 99; n++) await client.send(paymentAttempt('m-1', n));
    expect(await client.send(paymentAttempt('m-1', 99), { wait: true })).toMatchObject({ version: 100 });
    expect(await client.send(placeOrder('m-1'), { wait: true })).toMatchObject({ status: 'rejected' });
    // another writer moves m-2 behind the pod's back: its next command conflicts, catches up, succeeds
    await client.send(placeOrder('m-2'), { wait: true });
    await createPostgresEventStore(db.orm, { schemas: domainEventSchemas }).append({
      streamType: 'order',
      streamId: 'm-2',
      expectedVersion: 1,
      events: [
        { type: 'OrderPaymentInitiated', data: {} },
        { type: 'OrderPaymentFailed', data: { reason: 'declined' } },
      ],
      metadata: { commandId: 'other-writer', correlationId: 'other-writer', causationId: 'other-writer' },
      command: { commandId: 'other-writer', type: 'InitiateAndFail' },
    });
    expect(await client.send(paymentAttempt('m-2', 1), { wait: true })).toMatchObject({
      status: 'accepted',
      version: 4,
    });

    const scrape = await get(ports.command, '/metrics');
    expect(scrape.status).toBe(200);
    const text = scrape.text;
    const processed = (type: string, outcome: string) =>
      sample(text, 'chronicle_commands_processed_total', {
        chronicle_command_type: type,
        chronicle_outcome: outcome,
      });
    expect(processed('PlaceOrder', 'accepted')).toBe(2);
    expect(processed('PlaceOrder', 'rejected')).toBe(1);
    expect(processed('InitiatePayment', 'accepted')).toBe(51);
    expect(processed('FailPayment', 'accepted')).toBe(49);
    expect(text).toContain('# TYPE chronicle_command_duration histogram');
    expect(sample(text, 'chronicle_command_duration_count', { chronicle_command_type: 'FailPayment' })).toBe(
      49,
    );
    expect(
      sample(text, 'chronicle_command_duration_bucket', {
        chronicle_command_type: 'FailPayment',
        le: '+Inf',
      }),
    ).toBe(49);
    expect(sample(text, 'chronicle_command_queue_wait_count', { chronicle_command_type: 'PlaceOrder' })).toBe(
      3,
    );
    const order = { chronicle_aggregate_type: 'order' };
    expect(sample(text, 'chronicle_actor_hydration_duration_count', order)).toBe(2);
    expect(sample(text, 'chronicle_events_appended_total', order)).toBe(102);
    expect(sample(text, 'chronicle_concurrency_conflicts_total', order)).toBe(1);
    expect(sample(text, 'chronicle_actor_cache_size')).toBe(2);
    expect(sample(text, 'chronicle_actor_cache_hits_total', order)).toBe(101);
    expect(sample(text, 'chronicle_actor_cache_misses_total', order)).toBe(2);
    expect(text).toContain('service_name="chronicle-command-worker"');

    // the projection pod reports each projection partition's lag, in events and seconds
    const lag = (await get(ports.projection, '/metrics')).text;
    const ordersView = { chronicle_projection_name: 'orders_view', chronicle_projection_partition: '0' };
    expect(sample(lag, 'chronicle_projection_lag_events', ordersView)).toBeGreaterThanOrEqual(0);
    expect(sample(lag, 'chronicle_projection_lag_seconds', ordersView)).toBeGreaterThanOrEqual(0);
    expect(
      sample(lag, 'chronicle_projection_lag_events', { chronicle_projection_name: 'order_totals' }),
    ).toBeGreaterThanOrEqual(0);

    // the snapshot pod snapshots m-1 once its 100th event comes by
    const snapshots = await waitFor(
      async () =>
        sample((await get(ports.snapshot, '/metrics')).text, 'chronicle_snapshots_taken_total', order),
      { what: 'a snapshot counted on the snapshot pod', timeoutMs: 15_000, everyMs: 100 },
    );
    expect(snapshots).toBe(1);
  });

  it('/readyz turns 503 naming postgres when PostgreSQL is unreachable, /healthz stays 200, and recovers', async () => {
    expect((await get(ports.command, '/readyz')).status).toBe(200);
    await proxy.close();
    const down = await waitFor(
      async () => {
        const ready = await get(ports.command, '/readyz');
        return ready.status === 503 && ready;
      },
      { what: '/readyz to answer 503', timeoutMs: 10_000, everyMs: 100 },
    );
    const body = JSON.parse(down.text) as { status: string; checks: Record<string, { status: string }> };
    expect(body.status).toBe('not_ready');
    // names and states only: why postgres fails is the pod's log's
    expect(body.checks).toMatchObject({ postgres: { status: 'fail' }, redis: { status: 'pass' } });
    expect(body.checks.postgres).toEqual({ status: 'fail' });
    await waitFor(() => /readiness check postgres fails/.test(pods[0]?.output() ?? ''), {
      what: "the reason in the command pod's log",
    });
    expect(await get(ports.command, '/healthz')).toMatchObject({ status: 200 });

    await proxy.reopen();
    await waitFor(async () => (await get(ports.command, '/readyz')).status === 200, {
      what: '/readyz to answer 200 again',
      timeoutMs: 10_000,
      everyMs: 100,
    });
  });
});
