import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTelemetry, type TestTelemetry } from '../../otel/index.js';
import {
  observeActorCacheSize,
  observeProjectionLag,
  recordActorCacheLookup,
  recordCommandProcessed,
  recordConcurrencyConflict,
  recordEventsAppended,
  recordHydration,
  recordQueueWait,
  recordSnapshotTaken,
} from '../../src/metrics/index.js';
import { type PodServer, startPodServer } from '../../src/observability/index.js';
import { sample } from '../support/prometheusSample.js';

let telemetry: TestTelemetry;
let pod: PodServer;
let failing = false;

// Recorded before any SDK is registered: must neither throw nor keep the instruments as no-ops.
recordSnapshotTaken({ aggregateType: 'order' });

beforeAll(async () => {
  telemetry = startTestTelemetry({ serviceName: 'chronicle-command-worker' });
  pod = await startPodServer({
    port: 0,
    host: '127.0.0.1',
    checks: { postgres: async () => !failing },
    metricsHandler: telemetry.metricsHandler,
  });
});
afterAll(async () => {
  await pod.close();
  await telemetry.shutdown();
});

const scrape = async () => {
  const response = await fetch(`http://127.0.0.1:${pod.port}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
};

describe('chronicle metrics on the pod server', () => {
  it('serves the recorded metrics as Prometheus text on /metrics', async () => {
    recordCommandProcessed({ commandType: 'PlaceOrder', outcome: 'accepted', latencyMs: 12 });
    recordCommandProcessed({ commandType: 'PlaceOrder', outcome: 'accepted', latencyMs: 30 });
    recordCommandProcessed({ commandType: 'ShipOrder', outcome: 'rejected', latencyMs: 4 });
    recordQueueWait({ commandType: 'PlaceOrder', waitMs: 3 });
    recordHydration({ aggregateType: 'order', durationMs: 0.7 });
    recordEventsAppended({ aggregateType: 'order', count: 3 });
    recordConcurrencyConflict({ aggregateType: 'order' });
    recordActorCacheLookup({ aggregateType: 'order', result: 'hit' });
    recordActorCacheLookup({ aggregateType: 'order', result: 'miss' });
    recordActorCacheLookup({ aggregateType: 'order', result: 'miss' });
    recordSnapshotTaken({ aggregateType: 'order' });
    const stopCache = observeActorCacheSize(() => 17);
    const stopOtherCache = observeActorCacheSize(() => 3);
    const stopLag = observeProjectionLag(() => [
      { projection: 'orders-summary', partition: 0, events: 5, seconds: 1.5 },
      { projection: 'orders-summary', partition: 1, events: 0, seconds: 0 },
    ]);

    const text = await scrape();
    stopCache();
    stopOtherCache();
    stopLag();

    expect(text).toContain('# TYPE chronicle_commands_processed_total counter');
    const placed = { chronicle_command_type: 'PlaceOrder', chronicle_outcome: 'accepted' };
    expect(sample(text, 'chronicle_commands_processed_total', placed)).toBe(2);
    expect(
      sample(text, 'chronicle_commands_processed_total', {
        chronicle_command_type: 'ShipOrder',
        chronicle_outcome: 'rejected',
      }),
    ).toBe(1);
    expect(text).toContain('# TYPE chronicle_command_duration histogram');
    expect(text).toContain('# UNIT chronicle_command_duration ms');
    expect(sample(text, 'chronicle_command_duration_count', placed)).toBe(2);
    expect(sample(text, 'chronicle_command_duration_sum', placed)).toBe(42);
    expect(sample(text, 'chronicle_command_duration_bucket', { ...placed, le: '25' })).toBe(1);
    expect(sample(text, 'chronicle_command_queue_wait_count')).toBe(1);
    expect(sample(text, 'chronicle_actor_hydration_duration_bucket', { le: '1' })).toBe(1);
    const order = { chronicle_aggregate_type: 'order' };
    expect(sample(text, 'chronicle_events_appended_total', order)).toBe(3);
    expect(sample(text, 'chronicle_concurrency_conflicts_total', order)).toBe(1);
    expect(sample(text, 'chronicle_actor_cache_hits_total', order)).toBe(1);
    expect(sample(text, 'chronicle_actor_cache_misses_total', order)).toBe(2);
    expect(sample(text, 'chronicle_snapshots_taken_total', order)).toBe(1);
    expect(sample(text, 'chronicle_actor_cache_size')).toBe(20);
    const partition0 = { chronicle_projection_name: 'orders-summary', chronicle_projection_partition: '0' };
    expect(sample(text, 'chronicle_projection_lag_events', partition0)).toBe(5);
    expect(sample(text, 'chronicle_projection_lag_seconds', partition0)).toBe(1.5);
    expect(text).toContain('service_name="chronicle-command-worker"');
  });

  it('keeps reporting the other lag sources when one fails', async () => {
    const stopBroken = observeProjectionLag(async () => {
      throw new Error('checkpoint table unavailable');
    });
    const stopGood = observeProjectionLag(async () => [{ projection: 'audit', events: 2, seconds: 0.25 }]);
    const text = await scrape();
    stopBroken();
    stopGood();
    expect(sample(text, 'chronicle_projection_lag_events', { chronicle_projection_name: 'audit' })).toBe(2);
    expect(sample(text, 'chronicle_projection_lag_seconds', { chronicle_projection_name: 'audit' })).toBe(
      0.25,
    );
  });

  it('sums the cache sizes of the registered caches only', async () => {
    expect(sample(await scrape(), 'chronicle_actor_cache_size')).toBe(0);
    const stop = observeActorCacheSize(() => 4);
    expect(sample(await scrape(), 'chronicle_actor_cache_size')).toBe(4);
    stop();
    expect(sample(await scrape(), 'chronicle_actor_cache_size')).toBe(0);
  });

  it('answers /readyz 503 with the failing check, then 200 once it passes', async () => {
    failing = true;
    const down = await fetch(`http://127.0.0.1:${pod.port}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: 'not_ready',
      checks: { postgres: { status: 'fail' } },
    });
    failing = false;
    expect((await fetch(`http://127.0.0.1:${pod.port}/readyz`)).status).toBe(200);
  });
});
