import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attr } from '../../src/tracing/index.js';
import { REDIS_URL } from '../support/commandPath.js';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../support/otlpReceiver.js';
import { type PodProcess, runToEnd, startPod } from '../support/processes.js';
import {
  createTestDatabase,
  dropQueuePrefix,
  type TestDatabase,
  testQueuePrefix,
} from '../support/testDatabase.js';

const fixture = fileURLToPath(new URL('./fixtures/sendCommand.ts', import.meta.url));

/** Runs the client fixture to its end; resolves with the result line it printed. */
const runClient = async (env: Record<string, string>): Promise<{ status: string; commandId: string }> => {
  const { code, stdout, stderr } = await runToEnd(fixture, { env });
  const line = stdout.split('\n').find((l) => l.startsWith('{"result"'));
  if (code !== 0 || !line) throw new Error(`client exited ${code}: ${stdout}${stderr}`);
  return (JSON.parse(line) as { result: { status: string; commandId: string } }).result;
};

describe('one trace across processes: client, command-worker pod, projection-worker pod', () => {
  let db: TestDatabase;
  let receiver: OtlpReceiver;
  let env: Record<string, string>;
  const pods: PodProcess[] = [];
  beforeAll(async () => {
    [db, receiver] = await Promise.all([createTestDatabase(), startOtlpReceiver()]);
    env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      CHRONICLE_SHARDS: '4',
      CHRONICLE_QUEUE_PREFIX: testQueuePrefix(),
      CHRONICLE_SUBSCRIPTION_POLL_MS: '100',
      METRICS_PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SERVICE_NAME: '',
    };
    pods.push(startPod('workers/command-worker.ts', env), startPod('workers/projection-worker.ts', env));
    const [commands, projections] = pods;
    await Promise.all([
      commands?.waitFor(/chronicle-command-worker ready/),
      projections?.waitFor(/chronicle-projection-worker ready/),
    ]);
  });
  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.kill('SIGTERM')));
    await receiver?.close();
    await db?.drop();
    await dropQueuePrefix(REDIS_URL, env.CHRONICLE_QUEUE_PREFIX as string);
  });

  it('every span has its parent in the trace, under one root: the client’s send span', async () => {
    const result = await runClient({ ...env, COMMAND_ID: 'xp-cmd-1', ORDER_ID: 'xp-order-1' });
    expect(result).toEqual({ status: 'accepted', commandId: 'xp-cmd-1' });

    const wanted = ['send PlaceOrder', 'process PlaceOrder', 'hydrate', 'decide', 'append'];
    const consumers = ['handle orders_view', 'handle order_totals'];
    const traceOfCommand = (spans: readonly ReceivedSpan[]) => {
      const send = spans.find(
        (span) => span.name === 'send PlaceOrder' && span.attributes[attr.commandId] === 'xp-cmd-1',
      );
      return send ? spans.filter((span) => span.traceId === send.traceId) : [];
    };
    const spans = traceOfCommand(
      await receiver.waitForSpans((all) => {
        const names = traceOfCommand(all).map((span) => span.name);
        return [...wanted, ...consumers].every((name) => names.includes(name));
      }, 20_000),
    );

    const ids = new Set(spans.map((span) => span.spanId));
    const roots = spans.filter((span) => span.parentSpanId === undefined);
    expect(roots.map((span) => [span.name, span.serviceName])).toEqual([
      ['send PlaceOrder', 'chronicle-client'],
    ]);
    for (const span of spans.filter((s) => s.parentSpanId !== undefined)) {
      expect(ids.has(span.parentSpanId as string), `${span.name}'s parent is in the trace`).toBe(true);
    }
    const byName = (name: string) => spans.find((span) => span.name === name) as ReceivedSpan;
    expect(byName('process PlaceOrder').parentSpanId).toBe(byName('send PlaceOrder').spanId);
    const append = byName('append');
    for (const name of ['process PlaceOrder', 'hydrate', 'decide', 'append']) {
      expect(byName(name).serviceName, name).toBe('chronicle-command-worker');
    }
    for (const name of consumers) {
      const consumer = byName(name);
      expect(consumer).toMatchObject({
        serviceName: 'chronicle-projection-worker',
        kind: 5,
        parentSpanId: append.spanId,
      });
      expect(consumer.attributes).toMatchObject({
        [attr.commandId]: 'xp-cmd-1',
        [attr.correlationId]: 'xp-cmd-1',
        [attr.causationId]: 'xp-cmd-1',
        [attr.aggregateType]: 'order',
        [attr.aggregateId]: 'xp-order-1',
        [attr.aggregateVersion]: 1,
        [attr.messagingSystem]: 'postgresql',
      });
    }

    // the projection pod's batches are traces of their own, linked to the append
    const batches = await receiver.waitForSpans((all) =>
      ['process orders_view', 'process order_totals'].every((name) =>
        all.some((span) => span.name === name && span.links.some((link) => link.spanId === append.spanId)),
      ),
    );
    const batch = batches.find(
      (span) =>
        span.name === 'process orders_view' && span.links.some((link) => link.spanId === append.spanId),
    );
    expect(batch).toMatchObject({
      serviceName: 'chronicle-projection-worker',
      kind: 5,
      attributes: { [attr.messagingBatchCount]: 1, [attr.correlationId]: 'xp-cmd-1' },
      links: [{ traceId: append.traceId, spanId: append.spanId, attributes: expect.any(Object) }],
    });
    expect(batch?.parentSpanId).toBeUndefined();
    expect(batch?.traceId).not.toBe(append.traceId);
  });
});
