import { trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates } from '../../actors/index.js';
import { orderCommands, orderEventSchemas, orderMachine } from '../../actors/order/index.js';
import { projections } from '../../actors/projections/index.js';
import { startTestTelemetry, type TestTelemetry } from '../../otel/index.js';
import { defineAggregate } from '../../src/aggregate/index.js';
import { getCorrelationId } from '../../src/logging/index.js';
import type { AcceptedResult, RecordedEvent } from '../../src/messages/index.js';
import { defineProjection, type ProjectionWorker, runProjectionWorker } from '../../src/projections/index.js';
import { runSnapshotWorker, type SnapshotWorker } from '../../src/snapshots/index.js';
import { attr } from '../../src/tracing/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';
import { waitFor } from '../support/waitFor.js';

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const traceOf = (span: ReadableSpan) => span.spanContext().traceId;

/** The order aggregate, snapshotted after every event. */
const orderEveryEvent = defineAggregate({
  type: 'order',
  machine: orderMachine,
  commands: orderCommands,
  events: orderEventSchemas,
  snapshotEvery: 1,
});

/** What a projection handler sees of the active context: the logs written there carry it. */
const probed: { eventId: string; correlationId: string | undefined; traceId: string | undefined }[] = [];
const probe = defineProjection({
  name: 'baggage_probe',
  events: ['OrderPlaced', 'OrderPaymentInitiated'],
  handle: async (event) => {
    probed.push({
      eventId: event.eventId,
      correlationId: getCorrelationId(),
      traceId: trace.getActiveSpan()?.spanContext().traceId,
    });
  },
  reset: async () => {},
});

describe('one trace from a command to the consumers of its events, in process', () => {
  let telemetry: TestTelemetry;
  let path: CommandPath;
  let projectionWorker: ProjectionWorker;
  let snapshotWorker: SnapshotWorker;
  beforeAll(async () => {
    telemetry = startTestTelemetry();
    path = await createCommandPath();
    await path.startWorker();
    projectionWorker = await runProjectionWorker({
      aggregates,
      config: path.config,
      projections: [...projections, probe],
      settings: fastSettings('trace-projections'),
      only: '', // all of them, whatever CHRONICLE_PROJECTIONS says
      lagEveryMs: 60_000,
    });
    snapshotWorker = await runSnapshotWorker({
      config: path.config,
      aggregates: [orderEveryEvent],
      settings: fastSettings('trace-snapshots'),
      sweepEveryMs: 3_600_000,
    });
  });
  afterAll(async () => {
    await projectionWorker?.stop();
    await snapshotWorker?.stop();
    await path?.close();
    await telemetry?.shutdown();
  });

  const consumerNames = [
    'handle orders_view',
    'handle order_totals',
    'handle baggage_probe',
    'snapshot take',
  ];

  /** Waits for the consumer spans of the events of `commandId`, then returns every span so far. */
  const consumersOf = async (commandId: string, expected: readonly string[] = consumerNames) => {
    await waitFor(
      () => {
        const names = telemetry
          .spans()
          .filter((span) => span.attributes[attr.commandId] === commandId)
          .map((span) => span.name);
        return expected.every((name) => names.includes(name));
      },
      { what: `the consumer spans of ${commandId}`, timeoutMs: 15_000 },
    );
    return telemetry.spans();
  };

  /** What every consumer span of `event` carries. */
  const expectEventAttributes = (span: ReadableSpan, event: RecordedEvent) =>
    expect(span.attributes, span.name).toMatchObject({
      [attr.aggregateType]: event.streamType,
      [attr.aggregateId]: event.streamId,
      [attr.aggregateVersion]: event.version,
      [attr.commandId]: event.metadata.commandId,
      [attr.correlationId]: event.metadata.correlationId,
      [attr.causationId]: event.metadata.causationId,
      [attr.eventType]: event.type,
      [attr.messagingSystem]: 'postgresql',
      [attr.messagingMessageId]: event.eventId,
      [attr.messagingOperationType]: 'process',
    });

  it('send -> process -> hydrate, decide, append -> projection handle and snapshot take: one trace', async () => {
    const result = (await path.client.send(placeOrder('flow-1', 'flow-cmd-1'), {
      wait: true,
    })) as AcceptedResult;
    expect(result.status).toBe('accepted');
    const [placed] = result.events;
    if (!placed) throw new Error('no event');
    const spans = await consumersOf('flow-cmd-1');

    const send = spans.find(
      (span) => span.name === 'send PlaceOrder' && span.attributes[attr.commandId] === 'flow-cmd-1',
    );
    if (!send) throw new Error('no send span');
    const inTrace = spans.filter((span) => traceOf(span) === traceOf(send));
    const byName = (name: string) => {
      const found = inTrace.filter((span) => span.name === name);
      expect(found, name).toHaveLength(1);
      return found[0] as ReadableSpan;
    };
    const process = byName('process PlaceOrder');
    const append = byName('append');
    expect(parentOf(send)).toBeUndefined();
    expect(parentOf(process)).toBe(idOf(send));
    for (const name of ['hydrate', 'decide', 'append']) expect(parentOf(byName(name))).toBe(idOf(process));
    expect(inTrace.map((span) => span.name).sort()).toEqual(
      ['send PlaceOrder', 'process PlaceOrder', 'hydrate', 'decide', 'append', ...consumerNames].sort(),
    );

    // each event's handling is a child of the span that appended it, with the event's attributes
    for (const name of consumerNames) {
      const consumer = byName(name);
      expect(parentOf(consumer), name).toBe(idOf(append));
      expect(consumer.kind, name).toBe(4); // CONSUMER
      expectEventAttributes(consumer, placed);
      expect(JSON.stringify(consumer.attributes)).not.toMatch(/customer-1/);
    }
    expect(byName('handle orders_view').attributes).toMatchObject({
      [attr.messagingDestination]: 'orders_view',
      [attr.messagingOperationName]: 'handle',
      [attr.projection]: 'orders_view',
      [attr.partition]: expect.any(Number),
    });
    expect(byName('snapshot take').attributes).toMatchObject({
      [attr.messagingDestination]: 'snapshots',
      [attr.messagingOperationName]: 'snapshot',
    });

    // the handler ran inside its span, with the correlation id in the baggage (so in its logs)
    expect(probed.find((seen) => seen.eventId === placed.eventId)).toEqual({
      eventId: placed.eventId,
      correlationId: 'flow-cmd-1',
      traceId: traceOf(send),
    });

    // each batch is a trace of its own, linked to the span that appended its events
    for (const subscription of ['orders_view', 'order_totals', 'baggage_probe', 'snapshots']) {
      // it ends once its transaction commits, after the spans of its events
      const batch = await waitFor(
        () =>
          telemetry
            .spans()
            .find(
              (span) =>
                span.name === `process ${subscription}` &&
                span.links.some((link) => link.context.spanId === idOf(append)),
            ),
        { what: `the batch span of ${subscription} linked to the append` },
      );
      expect(parentOf(batch)).toBeUndefined();
      expect(traceOf(batch)).not.toBe(traceOf(send));
      expect(batch.kind).toBe(4);
      expect(batch.links).toEqual([
        expect.objectContaining({
          context: expect.objectContaining({ traceId: traceOf(send), spanId: idOf(append) }),
          attributes: { [attr.messagingMessageId]: placed.eventId },
        }),
      ]);
      // a batch of one event carries that event's attributes too
      expect(batch.attributes).toMatchObject({
        [attr.messagingBatchCount]: 1,
        [attr.messagingDestination]: subscription,
        [attr.messagingOperationName]: 'process',
      });
      expectEventAttributes(batch, placed);
    }
  });

  it('a command caused by an event keeps the correlation, and its consumers say so', async () => {
    const first = (await path.client.send(placeOrder('flow-2', 'flow-cmd-2'), {
      wait: true,
    })) as AcceptedResult;
    const placed = first.events[0];
    if (!placed) throw new Error('no event');
    // a snapshot is taken at the stream's head: let the first event's be taken before the next event
    await consumersOf('flow-cmd-2');
    const followUp = (await path.client.send(
      {
        aggregateType: 'order',
        aggregateId: 'flow-2',
        type: 'InitiatePayment',
        commandId: 'flow-cmd-3',
        causedBy: placed,
      },
      { wait: true },
    )) as AcceptedResult;
    expect(followUp.status).toBe('accepted');
    const [initiated] = followUp.events;
    if (!initiated) throw new Error('no event');
    // the command is caused by the event; its events by the command; all share the correlation
    expect(initiated.metadata).toMatchObject({
      commandId: 'flow-cmd-3',
      correlationId: 'flow-cmd-2',
      causationId: 'flow-cmd-3',
    });
    // order_totals takes only the events that move an order between shipping buckets
    const followUpConsumers = consumerNames.filter((name) => name !== 'handle order_totals');
    const spans = (await consumersOf('flow-cmd-3', followUpConsumers)).filter(
      (span) => span.attributes[attr.commandId] === 'flow-cmd-3',
    );
    const send = spans.find((span) => span.name === 'send InitiatePayment');
    expect(send?.attributes).toMatchObject({
      [attr.correlationId]: 'flow-cmd-2',
      [attr.causationId]: placed.eventId,
    });
    for (const name of followUpConsumers) {
      const consumer = spans.find(
        (span) => span.name === name && traceOf(span) === traceOf(send as ReadableSpan),
      );
      if (!consumer) throw new Error(`no ${name} span in the follow-up's trace`);
      expectEventAttributes(consumer, initiated);
    }
    expect(probed.find((seen) => seen.eventId === initiated.eventId)?.correlationId).toBe('flow-cmd-2');
  });
});
