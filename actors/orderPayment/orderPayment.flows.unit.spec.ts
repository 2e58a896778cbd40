import { createInMemoryRuntime, createTestClock, type InMemoryRuntime } from 'chronicle/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregates, processManagers } from '../index.js';
import { endsOf, flowOutcome, inMemoryFlowDriver, orderPaymentFlows, runFlow } from './orderPaymentFlows.js';

describe('order-payment on the in-memory runtime: the flows the pods run, in milliseconds', () => {
  const previous = process.env.ORDER_PAYMENT_TIMEOUT_MS;
  let runtime: InMemoryRuntime;
  beforeEach(() => {
    process.env.ORDER_PAYMENT_TIMEOUT_MS = '900000';
    runtime = createInMemoryRuntime({
      aggregates,
      processManagers,
      clock: createTestClock('2025-01-01T12:00:00.000Z'),
    });
  });
  afterEach(() => {
    runtime.close();
    process.env.ORDER_PAYMENT_TIMEOUT_MS = previous;
  });

  for (const flow of orderPaymentFlows()) {
    it(flow.name, async () => {
      const driver = inMemoryFlowDriver(runtime);
      await runFlow(driver, flow);
      const outcome = await flowOutcome(driver, flow);
      expect(endsOf(outcome)).toEqual(flow.ends);
    });
  }
});
