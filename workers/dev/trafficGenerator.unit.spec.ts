import type {
  CommandClient,
  CommandRequest,
  CommandResult,
  Logger,
  DevStoryTeller as StoryTeller,
} from 'chronicle-runtime';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTrafficGenerator } from './trafficGenerator.js';

const silent = { info: () => {}, warn: () => {} } as unknown as Logger;

/** A client that answers each command with `answer(request)`, recording what it was sent. */
const fakeClient = (answer: (request: CommandRequest) => CommandResult) => {
  const sent: CommandRequest[] = [];
  const client = {
    send: async (request: CommandRequest) => {
      sent.push(request);
      return answer(request);
    },
  } as unknown as CommandClient;
  return { client, sent };
};

const accepted = (request: CommandRequest): CommandResult =>
  ({
    status: 'accepted',
    aggregateId: request.aggregateId,
    version: 1,
    events: [],
  }) as unknown as CommandResult;

const twoSteps: StoryTeller = (orderId) => ({
  outcome: 'done',
  steps: [
    { aggregateType: 'order', aggregateId: orderId, type: 'First', payload: {} },
    { aggregateType: 'payment', aggregateId: orderId, type: 'Second', payload: {}, until: 'accepted' },
  ],
});

describe('the traffic generator', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('plays each order story in order, one command at a time per order, and reports what it sent', async () => {
    const { client, sent } = fakeClient(accepted);
    const generator = startTrafficGenerator({ client, perSecond: 10, stories: twoSteps, logger: silent });
    await vi.advanceTimersByTimeAsync(10_000);
    const report = await generator.stop();

    expect(report.sent).toBe(sent.length);
    expect(report.accepted).toBe(sent.length);
    expect(report.finished.done).toBeGreaterThan(0);
    const byOrder = new Map<string, string[]>();
    for (const request of sent)
      byOrder.set(request.aggregateId, [...(byOrder.get(request.aggregateId) ?? []), request.type]);
    for (const types of byOrder.values()) expect(types).toEqual(['First', 'Second'].slice(0, types.length));
    expect(report.byType.First).toBe(byOrder.size);
  });

  it('never sends more than its rate allows over a run', async () => {
    const { client, sent } = fakeClient(accepted);
    const generator = startTrafficGenerator({ client, perSecond: 20, stories: twoSteps, logger: silent });
    await vi.advanceTimersByTimeAsync(5_000);
    await generator.stop();
    expect(sent.length).toBeLessThanOrEqual(20 * 5 + 20);
    expect(sent.length).toBeGreaterThan(0);
  });

  it('tries a step that waits on another actor again until it is accepted', async () => {
    let refusals = 3;
    const { client, sent } = fakeClient((request) =>
      request.type === 'Second' && refusals-- > 0
        ? ({ status: 'rejected', code: 'UNKNOWN_AGGREGATE', message: 'not yet' } as CommandResult)
        : accepted(request),
    );
    const generator = startTrafficGenerator({
      client,
      perSecond: 1,
      stories: twoSteps,
      logger: silent,
      random: () => 0,
    });
    await vi.advanceTimersByTimeAsync(20_000);
    const report = await generator.stop();
    expect(report.rejections).toEqual({ 'Second UNKNOWN_AGGREGATE': 3 });
    expect(sent.filter((request) => request.type === 'Second').length).toBeGreaterThanOrEqual(4);
    expect(report.finished.done).toBeGreaterThan(0);
  });

  it('counts a command that throws as failed and drops that order', async () => {
    const client = {
      send: async () => {
        throw new Error('Redis went away');
      },
    } as unknown as CommandClient;
    const generator = startTrafficGenerator({ client, perSecond: 5, stories: twoSteps, logger: silent });
    await vi.advanceTimersByTimeAsync(1_000);
    const report = await generator.stop();
    expect(report.failed).toBe(report.sent);
    expect(report.byType.Second).toBeUndefined();
  });
});
