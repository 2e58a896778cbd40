import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../messages/index.js';
import { decodePublishedEvent, publishedEvent, publishedEventHeaders } from './eventMessage.js';

const event = (metadata: RecordedEvent['metadata']): RecordedEvent => ({
  eventId: '01936f3e-0000-7000-8000-000000000001',
  streamType: 'order',
  streamId: 'o-1',
  version: 3,
  type: 'OrderPaid',
  data: { amount: 10 },
  globalPosition: 42,
  transactionId: '900',
  schemaVersion: 2,
  metadata,
  recordedAt: '2026-11-29T00:00:00.000Z',
});

describe('the published event', () => {
  it('carries correlation, causation and the publish span in its headers', () => {
    const headers = publishedEventHeaders(
      event({ commandId: 'c', correlationId: 'corr', causationId: 'cause' }),
      {
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
    );
    expect(headers).toEqual({
      'chronicle-correlation-id': 'corr',
      'chronicle-causation-id': 'cause',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
  });

  it('leaves out the headers an event stored without metadata cannot fill', () => {
    expect(publishedEventHeaders(event({} as RecordedEvent['metadata']), {})).toEqual({});
  });

  it('has a body a consumer reads back, without the transaction id', () => {
    const body = JSON.stringify(
      publishedEvent(event({ commandId: 'c', correlationId: 'c', causationId: 'c' })),
    );
    const read = decodePublishedEvent(new TextEncoder().encode(body));
    expect(read).toMatchObject({
      eventId: '01936f3e-0000-7000-8000-000000000001',
      version: 3,
      schemaVersion: 2,
    });
    expect(read).not.toHaveProperty('transactionId');
    expect(() => decodePublishedEvent('{"hello":1}')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        message: expect.stringMatching(/not a Chronicle event/),
      }),
    );
  });
});
