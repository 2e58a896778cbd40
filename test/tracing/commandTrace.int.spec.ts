import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTelemetry, type TestTelemetry } from '../../otel/index.js';
import type { AcceptedResult } from '../../src/messages/index.js';
import { attr } from '../../src/tracing/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('one trace per command, in process', () => {
  let telemetry: TestTelemetry;
  let path: CommandPath;
  beforeAll(async () => {
    telemetry = startTestTelemetry();
    path = await createCommandPath();
    await path.startWorker();
  });
  afterAll(async () => {
    await path.close();
    await telemetry.shutdown();
  });

  const spansOf = (commandId: string) =>
    telemetry.spans().filter((span) => span.attributes[attr.commandId] === commandId);

  it('send -> process -> hydrate, decide, append share one trace, each span with the command’s attributes', async () => {
    const result = (await path.client.send(placeOrder('traced-1', 'trace-cmd-1'), {
      wait: true,
    })) as AcceptedResult;
    expect(result.status).toBe('accepted');
    const spans = spansOf('trace-cmd-1');
    const byName = (name: string) => spans.find((span) => span.name === name) as ReadableSpan;
    const send = byName('send PlaceOrder');
    const process = byName('process PlaceOrder');
    expect(send.kind).toBe(3); // PRODUCER
    expect(process.kind).toBe(4); // CONSUMER
    expect(parentOf(process)).toBe(send.spanContext().spanId);
    for (const child of ['hydrate', 'decide', 'append']) {
      expect(parentOf(byName(child))).toBe(process.spanContext().spanId);
    }
    const traceIds = new Set(spans.map((span) => span.spanContext().traceId));
    expect(traceIds.size).toBe(1);
    for (const span of spans) {
      expect(span.attributes).toMatchObject({
        [attr.aggregateType]: 'order',
        [attr.aggregateId]: 'traced-1',
        [attr.commandId]: 'trace-cmd-1',
        [attr.correlationId]: 'trace-cmd-1',
        [attr.causationId]: 'trace-cmd-1',
        [attr.messagingSystem]: 'bullmq',
      });
      // never the payload
      expect(JSON.stringify(span.attributes)).not.toMatch(/customer-1/);
    }
    expect(send.attributes).toMatchObject({ [attr.messagingOperationType]: 'send' });
    expect(process.attributes).toMatchObject({
      [attr.messagingOperationType]: 'process',
      [attr.aggregateVersion]: 1,
    });
    expect(byName('append').attributes[attr.aggregateVersion]).toBe(1);

    // the event remembers where it was appended: its consumers continue this trace
    const [event] = result.events;
    expect(event?.metadata).toMatchObject({
      commandId: 'trace-cmd-1',
      correlationId: 'trace-cmd-1',
      causationId: 'trace-cmd-1',
    });
    expect(event?.metadata.traceparent).toContain(byName('append').spanContext().spanId);
  });

  it('a command sent with causedBy: event is caused by the event and keeps its correlation', async () => {
    const first = (await path.client.send(placeOrder('traced-2', 'trace-cmd-2'), {
      wait: true,
    })) as AcceptedResult;
    const placed = first.events[0];
    if (!placed) throw new Error('no event');
    const followUp = (await path.client.send(
      {
        aggregateType: 'order',
        aggregateId: 'traced-2',
        type: 'InitiatePayment',
        commandId: 'trace-cmd-3',
        causedBy: placed,
      },
      { wait: true },
    )) as AcceptedResult;
    expect(followUp.status).toBe('accepted');
    expect(followUp.events[0]?.metadata).toMatchObject({
      commandId: 'trace-cmd-3',
      correlationId: 'trace-cmd-2',
      causationId: 'trace-cmd-3',
    });
    const spans = spansOf('trace-cmd-3');
    expect(spans.length).toBeGreaterThanOrEqual(4);
    for (const span of spans) {
      expect(span.attributes).toMatchObject({
        [attr.correlationId]: 'trace-cmd-2',
        [attr.causationId]: placed.eventId,
      });
    }
  });
});
