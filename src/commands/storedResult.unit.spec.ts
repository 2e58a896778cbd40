import { describe, expect, it } from 'vitest';
import type { AcceptedResult, CommandEnvelope, RecordedEvent } from '../messages/index.js';
import { fullResult, storedResult } from './storedResult.js';

const envelope: CommandEnvelope = {
  commandId: 'c-7',
  aggregateType: 'order',
  aggregateId: 'o-1',
  type: 'InitiatePayment',
  payload: {},
  correlationId: 'saga-1',
  causationId: 'e-3',
  issuedAt: '2026-11-29T08:00:00.000Z',
  issuedBy: 'api-key:ops',
  replyTo: 'chronicle:replies:x',
};

const event = (version: number, overrides: Partial<RecordedEvent> = {}): RecordedEvent => ({
  eventId: `e-${version}`,
  streamType: 'order',
  streamId: 'o-1',
  version,
  globalPosition: 100 + version,
  transactionId: '5001',
  schemaVersion: 1,
  type: 'OrderPaymentInitiated',
  data: { n: version },
  metadata: {
    commandId: 'c-7',
    correlationId: 'saga-1',
    causationId: 'c-7',
    issuedAt: '2026-11-29T08:00:00.000Z',
    issuedBy: 'api-key:ops',
    traceparent: '00-aaaa-bbbb-01',
  },
  recordedAt: '2026-11-29T08:00:00.100Z',
  ...overrides,
});

const accepted = (events: RecordedEvent[]): AcceptedResult => ({
  status: 'accepted',
  commandId: 'c-7',
  aggregateType: 'order',
  aggregateId: 'o-1',
  version: events.at(-1)?.version ?? 0,
  events,
});

describe('the result a finished command job keeps', () => {
  it('given an accepted command, keeps each event without what the envelope and result say, and gives it back whole', () => {
    const result = accepted([event(4), event(5)]);
    const stored = storedResult(result, envelope);
    expect(stored).toMatchObject({ status: 'accepted', version: 5 });
    const [first] = stored.status === 'accepted' ? stored.events : [];
    expect(first).toEqual({
      eventId: 'e-4',
      globalPosition: 104,
      transactionId: '5001',
      schemaVersion: 1,
      type: 'OrderPaymentInitiated',
      data: { n: 4 },
      metadata: { traceparent: '00-aaaa-bbbb-01' },
      recordedAt: '2026-11-29T08:00:00.100Z',
    });
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(result).length * 0.7);
    expect(fullResult(JSON.parse(JSON.stringify(stored)), envelope)).toEqual(result);
  });

  it('keeps whole what differs from what the envelope would give (another stream, a gap, other metadata)', () => {
    const odd = accepted([
      event(2, { streamId: 'o-2' }),
      event(4),
      event(5, { metadata: { commandId: 'c-7', correlationId: 'other', causationId: 'c-7', issuedAt: 'x' } }),
      event(6, {
        metadata: {
          commandId: 'c-7',
          correlationId: 'saga-1',
          causationId: 'c-7',
          issuedAt: envelope.issuedAt,
        },
      }),
    ]);
    expect(fullResult(JSON.parse(JSON.stringify(storedResult(odd, envelope))), envelope)).toEqual(odd);
  });

  it('reads a result stored whole (by a worker from before) as it is, and a rejection untouched', () => {
    const whole = accepted([event(1)]);
    expect(fullResult(whole, envelope)).toEqual(whole);
    const rejected = {
      status: 'rejected',
      commandId: 'c-7',
      code: 'INVALID_TRANSITION',
      message: 'no',
    } as const;
    expect(storedResult(rejected, envelope)).toBe(rejected);
    expect(fullResult(rejected, envelope)).toBe(rejected);
  });
});
