import { describe, expect, it } from 'vitest';
import { createEventSchemas, eventVersions } from '../eventSchemas/index.js';
import type { RecordedEvent } from '../messages/index.js';
import { upcastRecordedInput } from './processState.js';
import type { HandledInputData } from './processTypes.js';

const schemas = createEventSchemas([
  {
    type: 'order',
    events: {
      OrderPlaced: eventVersions<{ total: number }>().upcast((data) => ({ ...data, currency: 'EUR' })),
    },
  },
]);
const pmEvent: RecordedEvent = {
  type: 'OrderPlacedHandled',
  schemaVersion: 1,
  data: {},
  eventId: 'pm-e-1',
  streamType: 'order-payment',
  streamId: 'o-1',
  version: 1,
  globalPosition: 9,
  transactionId: '3',
  metadata: { commandId: 'e-1', correlationId: 'c', causationId: 'e-1' },
  recordedAt: '2026-01-01T00:00:00.000Z',
};
const handled = (source: HandledInputData['source'], type = 'OrderPlaced'): HandledInputData => ({
  inputId: 'e-1',
  input: { type, data: { total: 5 } },
  source,
  outputs: [],
});

describe('a recorded process-manager input', () => {
  it('recorded before its event type had version 2 (no schemaVersion), is folded as version 2', () => {
    const data = upcastRecordedInput(
      schemas,
      pmEvent,
      handled({ eventId: 'e-1', streamType: 'order', streamId: 'o-1', version: 1 }),
    );
    expect(data.input).toEqual({ type: 'OrderPlaced', data: { total: 5, currency: 'EUR' } });
    expect(data.source.schemaVersion).toBe(2);
  });

  it('recorded at the current version, or from a deadline, is folded as it is', () => {
    const current = handled({
      eventId: 'e-1',
      streamType: 'order',
      streamId: 'o-1',
      version: 1,
      schemaVersion: 2,
    });
    expect(upcastRecordedInput(schemas, pmEvent, current)).toBe(current);
    const deadline = handled({ deadlineId: 'd-1' }, 'PaymentTimedOut');
    expect(upcastRecordedInput(schemas, pmEvent, deadline)).toBe(deadline);
  });

  it('recorded at a version this code does not know, is an EVENT_SCHEMA error naming the source event', () => {
    const future = handled({
      eventId: 'e-1',
      streamType: 'order',
      streamId: 'o-1',
      version: 1,
      schemaVersion: 3,
    });
    expect(() => upcastRecordedInput(schemas, pmEvent, future)).toThrow(
      /OrderPlaced schema version 3 \(order\/o-1 v1/,
    );
  });
});
