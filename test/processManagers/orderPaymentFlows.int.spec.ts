import { Queue } from 'bullmq';
import { createInMemoryRuntime, createTestClock } from 'chronicle-runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates, createOrderPayment } from '../../actors/index.js';
import {
  endsOf,
  type FlowDriver,
  flowOutcome,
  inMemoryFlowDriver,
  orderPaymentFlows,
  runFlow,
} from '../../actors/orderPayment/orderPaymentFlows.js';
import { DEADLINES_QUEUE } from '../../src/processManagers/index.js';
import { type OrderPaymentPods, startOrderPaymentPods } from '../support/orderPaymentPods.js';
import { waitFor } from '../support/waitFor.js';

// long enough for every flow that pays to capture before it, on a loaded machine
// long enough for a declined or paid flow to finish first on a loaded two-core machine
const TIMEOUT_MS = 10_000;

describe('order-payment: the flows of the in-memory runtime give the same events on the pods', () => {
  let pods: OrderPaymentPods;
  let deadlines: Queue;

  beforeAll(async () => {
    pods = await startOrderPaymentPods(TIMEOUT_MS);
    deadlines = new Queue(DEADLINES_QUEUE, {
      connection: { url: pods.path.config.redisUrl },
      prefix: pods.path.config.queuePrefix,
    });
  });
  afterAll(async () => {
    await deadlines.close();
    await pods.close();
  });

  /** The command pod and the process-manager pod's engines on PostgreSQL and Redis. */
  const onPods: FlowDriver = {
    send: (request) => pods.path.client.send(request, { wait: true }),
    awaitEvent: async (streamType, streamId, eventType) => {
      await waitFor(
        async () =>
          (await pods.store.readStream({ streamType, streamId })).some((event) => event.type === eventType),
        { what: `${eventType} in ${streamType}/${streamId}` },
      );
    },
    // every deadline scheduled so far has fired (and its input was handled) or was cancelled
    passTimeout: async () => {
      await waitFor(
        async () => {
          const counts = await deadlines.getJobCounts('delayed', 'waiting', 'active', 'prioritized');
          return Object.values(counts).every((count) => count === 0);
        },
        { what: 'no deadline pending', timeoutMs: TIMEOUT_MS + 30_000 },
      );
    },
    events: (streamType, streamId) => pods.store.readStream({ streamType, streamId }),
  };

  it('runs every flow on both, and each stream holds the same events in the same order', async () => {
    const flows = orderPaymentFlows();
    // the flows run side by side on the pods (each on its own order), so the timeouts overlap
    await Promise.all(flows.map((flow) => runFlow(onPods, flow)));

    const runtime = createInMemoryRuntime({
      aggregates,
      processManagers: [createOrderPayment({ paymentTimeoutMs: TIMEOUT_MS })],
      clock: createTestClock(),
    });
    const memory = inMemoryFlowDriver(runtime, TIMEOUT_MS);
    for (const flow of flows) await runFlow(memory, flow);

    for (const flow of flows) {
      const real = await flowOutcome(onPods, flow);
      expect(real, flow.name).toEqual(await flowOutcome(memory, flow));
      expect(endsOf(real), flow.name).toEqual(flow.ends);
    }
    runtime.close();
  });
});
